package io.github.pybundle.core.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The launcher {@code spark-submit.sh}: a POSIX sh script that finds {@code spark-submit} and runs the application
 * with its py-files zip, passing its own arguments on to the application.
 *
 * <p>Paths in the script are relative to the script's own directory, so the build output can be copied or moved as a
 * whole (e.g. to an edge node) and still run.
 *
 * @param appName the application name shown by Spark ({@code --name})
 * @param pyFilesFromScript the py-files zip, relative to the script's directory ('/'-separated)
 * @param mainFromScript the main script, relative to the script's directory
 * @param generator who wrote the script, e.g. {@code pybundle 0.1.0}
 */
public record SparkSubmitScript(String appName, String pyFilesFromScript, String mainFromScript, String generator) {
    /** The script's file name. */
    public static final String FILE_NAME = "spark-submit.sh";

    /** The script's text. */
    public String render() {
        String q = "\"$here\"/";
        return "#!/bin/sh\n"
                + "# Runs " + appName.replace('\n', ' ') + " on Spark. Written by " + generator
                + "; rebuild instead of editing.\n"
                + "# Usage: " + FILE_NAME + " [application arguments...]\n"
                + "# spark-submit is taken from $SPARK_HOME/bin, else from PATH.\n"
                + "set -eu\n"
                + "here=$(CDPATH= cd -- \"$(dirname -- \"$0\")\" && pwd)\n"
                + "if [ -n \"${SPARK_HOME:-}\" ]; then\n"
                + "  spark_submit=\"$SPARK_HOME/bin/spark-submit\"\n"
                + "  if [ ! -x \"$spark_submit\" ]; then\n"
                + "    echo \"pybundle: $spark_submit is missing or not executable; check SPARK_HOME\" >&2\n"
                + "    exit 127\n"
                + "  fi\n"
                + "elif command -v spark-submit >/dev/null 2>&1; then\n"
                + "  spark_submit=spark-submit\n"
                + "else\n"
                + "  echo \"pybundle: spark-submit not found; set SPARK_HOME or put spark-submit on PATH\" >&2\n"
                + "  exit 127\n"
                + "fi\n"
                + "exec \"$spark_submit\" \\\n"
                + "  --name " + ShellQuoting.quote(appName) + " \\\n"
                + "  --py-files " + q + ShellQuoting.quote(pyFilesFromScript) + " \\\n"
                + "  " + q + ShellQuoting.quote(mainFromScript) + " \\\n"
                + "  \"$@\"\n";
    }

    /** Writes the script to {@code target} (atomically) and makes it executable. */
    public void write(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + FILE_NAME, ".tmp");
        try {
            Files.write(temp, render().getBytes(StandardCharsets.UTF_8));
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException e) {
                temp.toFile().setExecutable(true, false);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}

package io.github.pybundle.core.launch;

import io.github.pybundle.core.archive.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The launcher {@code spark-submit.sh}: a POSIX sh script that runs the application with {@code spark-submit}, its
 * py-files zip and environment archive, and passes its own arguments on to the application.
 *
 * <ul>
 *   <li>{@code PYBUNDLE_MASTER} and {@code PYBUNDLE_DEPLOY_MODE} override the configured master and deploy mode;</li>
 *   <li>executors run {@code ./environment/bin/python} from the archive Spark unpacks in their working directory;</li>
 *   <li>a driver on this machine (client and local mode) cannot see that directory: the script unpacks the archive
 *       once into a cache keyed by its sha256 and points {@code spark.pyspark.driver.python} (and in local mode,
 *       where Python workers run here too, {@code spark.pyspark.python}) at it;</li>
 *   <li>an inherited {@code PYTHONPATH} is cleared, and {@code PYSPARK_DRIVER_PYTHON} is never set.</li>
 * </ul>
 * Local paths are relative to the script's directory, so the whole build output can be moved and still run.
 *
 * @param launch what to run
 * @param localEnvironment the environment archive relative to the script's directory (for the driver's unpack), or
 *     null
 * @param generator who wrote the script, e.g. {@code pybundle 0.1.0}
 */
public record SparkSubmitScript(SparkLaunch launch, String localEnvironment, String generator) {
    /** The script's file name. */
    public static final String FILE_NAME = "spark-submit.sh";

    private static String path(SparkLaunch l, String p) {
        return l.remote() ? ShellQuoting.quote(p) : "\"$here\"/" + ShellQuoting.quote(p);
    }

    /** The script's text. */
    public String render() {
        SparkLaunch l = launch;
        StringBuilder sb = new StringBuilder();
        sb.append("#!/bin/sh\n")
                .append("# Runs ").append(l.name().replace('\n', ' ')).append(" on Spark. Written by ").append(generator)
                .append("; rebuild instead of editing.\n")
                .append("# Usage: ").append(FILE_NAME).append(" [application arguments...]\n")
                .append("# PYBUNDLE_MASTER and PYBUNDLE_DEPLOY_MODE override the master (").append(l.master())
                .append(") and deploy mode (").append(l.deployMode()).append(").\n")
                .append("# spark-submit is taken from $SPARK_HOME/bin, else from PATH.\n")
                .append("set -eu\n")
                .append("here=$(CDPATH= cd -- \"$(dirname -- \"$0\")\" && pwd)\n")
                .append("master=${PYBUNDLE_MASTER:-").append(ShellQuoting.quote(l.master())).append("}\n")
                .append("deploy_mode=${PYBUNDLE_DEPLOY_MODE:-").append(ShellQuoting.quote(l.deployMode()))
                .append("}\n")
                .append("if [ -n \"${SPARK_HOME:-}\" ]; then\n")
                .append("  spark_submit=\"$SPARK_HOME/bin/spark-submit\"\n")
                .append("  if [ ! -x \"$spark_submit\" ]; then\n")
                .append("    echo \"pybundle: $spark_submit is missing or not executable; check SPARK_HOME\" >&2\n")
                .append("    exit 127\n")
                .append("  fi\n")
                .append("elif command -v spark-submit >/dev/null 2>&1; then\n")
                .append("  spark_submit=spark-submit\n")
                .append("else\n")
                .append("  echo \"pybundle: spark-submit not found; set SPARK_HOME or put spark-submit on PATH\" >&2\n")
                .append("  exit 127\n")
                .append("fi\n")
                .append("unset PYTHONPATH # an inherited PYTHONPATH would shadow the bundle's packages\n");
        // Prepending with "set --" builds the command from its end: main and arguments first.
        List<String> tail = new ArrayList<>();
        tail.add(path(l, l.main()));
        l.args().forEach(a -> tail.add(ShellQuoting.quote(a)));
        sb.append("set -- ").append(String.join(" ", tail)).append(" \"$@\"\n");
        if (!l.files().isEmpty()) {
            sb.append("set -- --files ").append(joined(l, l.files())).append(" \"$@\"\n");
        }
        if (l.environment() != null) {
            sb.append("set -- --archives ").append(l.remote() ? ShellQuoting.quote(l.environment() + "#"
                    + SparkLaunch.ENV_ALIAS) : "\"$here\"/" + ShellQuoting.quote(l.environment() + "#"
                    + SparkLaunch.ENV_ALIAS)).append(" \"$@\"\n");
        }
        if (!l.pyFiles().isEmpty()) {
            sb.append("set -- --py-files ").append(joined(l, l.pyFiles())).append(" \"$@\"\n");
        }
        if (!l.jars().isEmpty()) {
            sb.append("set -- --jars ").append(joined(l, l.jars())).append(" \"$@\"\n");
        }
        if (l.environment() != null && localEnvironment != null) {
            unpackForLocalDriver(sb);
        }
        if (l.environment() != null) {
            // The environment's bin/python runs $PYBUNDLE_PYTHON: one variable at launch reaches every process.
            sb.append("if [ -n \"${PYBUNDLE_PYTHON:-}\" ]; then\n")
                    .append("  set -- --conf \"spark.executorEnv.PYBUNDLE_PYTHON=$PYBUNDLE_PYTHON\"")
                    .append(" --conf \"spark.yarn.appMasterEnv.PYBUNDLE_PYTHON=$PYBUNDLE_PYTHON\" \"$@\"\n")
                    .append("fi\n");
        }
        List<Map.Entry<String, String>> conf = new ArrayList<>(l.effectiveConf().entrySet());
        for (int i = conf.size() - 1; i >= 0; i--) {
            sb.append("set -- --conf ").append(ShellQuoting.quote(conf.get(i).getKey() + "=" + conf.get(i).getValue()))
                    .append(" \"$@\"\n");
        }
        sb.append("exec \"$spark_submit\" --master \"$master\" --deploy-mode \"$deploy_mode\" --name ")
                .append(ShellQuoting.quote(l.name())).append(" \"$@\"\n");
        return sb.toString();
    }

    // A driver on this machine (client mode, and everything in local mode) cannot see ./environment: unpack the
    // archive once into a cache keyed by its digest and point the driver (and local Python workers) at it.
    private void unpackForLocalDriver(StringBuilder sb) {
        boolean zip = localEnvironment.endsWith(".zip");
        sb.append("if [ \"$deploy_mode\" = client ]; then\n")
                .append("  env_archive=\"$here\"/").append(ShellQuoting.quote(localEnvironment)).append("\n")
                .append("  env_dir=${PYBUNDLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pybundle}/environments/")
                .append(launch.environmentSha256()).append("\n")
                .append("  if [ ! -x \"$env_dir/bin/python\" ]; then\n")
                .append("    mkdir -p \"$env_dir.tmp.$$\"\n")
                .append(zip ? "    (cd \"$env_dir.tmp.$$\" && unzip -q \"$env_archive\") && chmod -R u+rwX"
                        + " \"$env_dir.tmp.$$\" && chmod +x \"$env_dir.tmp.$$\"/bin/*\n"
                        : "    tar xzf \"$env_archive\" -C \"$env_dir.tmp.$$\"\n")
                .append("    mv \"$env_dir.tmp.$$\" \"$env_dir\" 2>/dev/null || rm -rf \"$env_dir.tmp.$$\"\n")
                .append("  fi\n")
                .append("  set -- --conf \"spark.pyspark.driver.python=$env_dir/bin/python\" \"$@\"\n")
                .append("  case \"$master\" in\n")
                .append("    local*) set -- --conf \"spark.pyspark.python=$env_dir/bin/python\" \"$@\" ;;\n")
                .append("  esac\n")
                .append("fi\n");
    }

    private static String joined(SparkLaunch l, List<String> paths) {
        if (l.remote()) {
            return ShellQuoting.quote(String.join(",", paths));
        }
        // Local paths are absolute at run time; join them with commas inside one word.
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < paths.size(); i++) {
            String p = paths.get(i);
            // Relative paths are the bundle's own files, beside the launcher; an absolute one (an extra file the
            // build resolved) stays as it is.
            sb.append(i == 0 ? "" : ",").append(p.startsWith("/") ? "" : "$here/").append(p.replace("\\", "\\\\")
                    .replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`"));
        }
        return sb.append('"').toString();
    }

    /** Writes the script to {@code target} (atomically) and makes it executable. */
    public void write(Path target) throws IOException {
        AtomicFile.write(target, temp -> {
            Files.write(temp, render().getBytes(StandardCharsets.UTF_8));
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException e) {
                temp.toFile().setExecutable(true, false);
            }
        });
    }
}

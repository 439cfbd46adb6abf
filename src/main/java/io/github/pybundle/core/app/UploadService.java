package io.github.pybundle.core.app;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.launch.SparkSubmitScript;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code upload} goal: puts the bundle's files at their content-addressed places under the remote directory, from
 * the build machine, for pipelines that publish to the cluster's file system instead of submitting. It runs the
 * launcher in upload-only mode, so that the build machine and the edge node upload the same way: what is there
 * already is not uploaded again.
 */
public final class UploadService {
    private final BuildListener listener;

    public UploadService(BuildListener listener) {
        this.listener = listener;
    }

    /**
     * Uploads.
     *
     * @param launchDirectory the application directory ({@code target/pybundle})
     * @param always whether to upload even what is there already
     * @param env the environment of the launcher (HADOOP_CONF_DIR, SPARK_HOME, PATH...)
     */
    public void upload(Path launchDirectory, boolean always, Map<String, String> env) throws IOException {
        Path launcher = launchDirectory.resolve(SparkSubmitScript.FILE_NAME);
        if (!Files.isExecutable(launcher)) {
            throw new PyBundleException("there is nothing to upload: " + launcher + " is missing", List.of("run"
                    + " {!bundle} first (mvn package {!upload})"));
        }
        ProcessBuilder pb = new ProcessBuilder(launcher.toString()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put(SparkSubmitScript.UPLOAD_ONLY, "1");
        pb.environment().put("PYBUNDLE_UPLOAD", always ? "always" : "auto");
        Process p = pb.start();
        StringBuilder tail = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                // The launcher's own lines say what was uploaded and what was there; the Hadoop client's go to debug.
                boolean own = line.startsWith("pybundle: ");
                listener.log(own ? Level.INFO : Level.DEBUG, own ? line.substring("pybundle: ".length()) : line);
                tail.append(line).append('\n');
            }
        }
        int rc;
        try {
            rc = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while uploading", e);
        }
        if (rc == SparkSubmitScript.NOTHING_TO_UPLOAD) {
            throw new InvalidConfigurationException("spark", null, "{!upload} has nothing to upload: the launch"
                    + " refers to the files beside it", "set {@spark.remoteDir} (e.g. hdfs:///apps/myapp) and"
                    + " rebuild");
        }
        if (rc != 0) {
            throw new PyBundleException("the upload failed (exit status " + rc + "):\n" + lastLines(tail, 20),
                    List.of("check HADOOP_CONF_DIR (the cluster's client configuration) and that an hdfs or hadoop"
                    + " command, or SPARK_HOME with Spark's jars, is available")) {
                private static final long serialVersionUID = 1L;

                @Override
                public Kind kind() {
                    return Kind.ENVIRONMENT;
                }
            };
        }
    }

    private static String lastLines(CharSequence text, int n) {
        List<String> lines = text.toString().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}

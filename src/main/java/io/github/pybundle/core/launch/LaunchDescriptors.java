package io.github.pybundle.core.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The launch as data for other tools: {@code launch.json} (everything), {@code livy-batch.json} (the body of Livy's
 * {@code POST /batches}), {@code spark-application.yaml} (a Kubernetes spark-operator {@code SparkApplication}),
 * {@code emr-serverless-job.json} (an AWS EMR Serverless {@code StartJobRun} request) and {@code dataproc-batch.json}
 * (a Google Cloud Dataproc Serverless {@code Batch}).
 */
public final class LaunchDescriptors {
    /** The fields Livy's batch API accepts. */
    public static final List<String> LIVY_FIELDS = List.of("file", "proxyUser", "className", "args", "jars", "pyFiles",
            "files", "driverMemory", "driverCores", "executorMemory", "executorCores", "numExecutors", "archives",
            "queue", "name", "conf");
    // Spark settings Livy takes as fields of their own.
    private static final Map<String, String> LIVY_RESOURCES = Map.of("spark.driver.memory", "driverMemory",
            "spark.driver.cores", "driverCores", "spark.executor.memory", "executorMemory", "spark.executor.cores",
            "executorCores", "spark.executor.instances", "numExecutors", "spark.yarn.queue", "queue");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LaunchDescriptors() {
    }

    private static String archive(SparkLaunch l) {
        return l.environment() + "#" + SparkLaunch.ENV_ALIAS;
    }

    /** {@code launch.json}. */
    public static String launchJson(SparkLaunch l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", l.name());
        m.put("master", l.master());
        m.put("deployMode", l.deployMode());
        m.put("main", l.main());
        m.put("pyFiles", l.pyFiles());
        m.put("archives", l.environment() == null ? List.of() : List.of(archive(l)));
        m.put("files", l.files());
        m.put("jars", l.jars());
        m.put("conf", l.effectiveConf());
        m.put("args", l.args());
        return json(m);
    }

    /**
     * {@code livy-batch.json}: only Livy's fields; resource settings as Livy's own fields; the archive in
     * {@code archives} on YARN, else in {@code spark.archives} (Livy maps {@code archives} to a YARN-only setting).
     */
    public static String livyBatch(SparkLaunch l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", l.name());
        m.put("file", l.main());
        if (!l.args().isEmpty()) {
            m.put("args", l.args());
        }
        m.put("pyFiles", l.pyFiles());
        if (!l.jars().isEmpty()) {
            m.put("jars", l.jars());
        }
        if (!l.files().isEmpty()) {
            m.put("files", l.files());
        }
        Map<String, String> conf = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : l.effectiveConf().entrySet()) {
            String field = LIVY_RESOURCES.get(e.getKey());
            if (field == null) {
                conf.put(e.getKey(), e.getValue());
            } else if (field.equals("driverCores") || field.equals("executorCores") || field.equals("numExecutors")) {
                m.put(field, Integer.parseInt(e.getValue().strip()));
            } else {
                m.put(field, e.getValue());
            }
        }
        if (l.environment() != null) {
            if (l.isYarn()) {
                m.put("archives", List.of(archive(l)));
            } else {
                conf.put("spark.archives", archive(l));
            }
        }
        m.put("conf", conf);
        return json(m);
    }

    /** The interpreter inside the unpacked environment archive, relative to the working directory. */
    private static final String ENV_PYTHON = "./" + SparkLaunch.ENV_ALIAS + "/bin/python";

    /**
     * {@code emr-serverless-job.json}: the body of an AWS EMR Serverless {@code StartJobRun} request, without what only
     * the user knows ({@code applicationId}, {@code executionRoleArn}; {@code clientToken} is filled by the AWS CLI and
     * SDKs). Field names are those of the EMR Serverless API model (botocore's
     * {@code emr-serverless/2021-07-13/service-2.json}: {@code StartJobRunRequest}, {@code JobDriver},
     * {@code SparkSubmit}, {@code ConfigurationOverrides}, {@code Configuration}).
     *
     * <p>Everything the launch needs is Spark configuration: {@code spark.archives} with {@code #environment} and the
     * interpreter variables of EMR Serverless's Python convention (user's entries of the same name win), then
     * {@code spark.submit.pyFiles}, {@code spark.jars} and {@code spark.files} (the bundle's lists win over the user's
     * entries of the same name, as {@code --py-files}, {@code --jars}, {@code --files} and {@code --archives} do in
     * {@code spark-submit}), then the user's {@code <conf>}. AWS documents no quoting rules for
     * {@code sparkSubmitParameters}, so an entry goes there as {@code --conf key=value} only when its key and value are
     * plain words (no whitespace, no quote or backslash); any other entry goes, unchanged, into
     * {@code configurationOverrides.applicationConfiguration} under the {@code spark-defaults} classification, a JSON
     * map that nothing re-parses.
     */
    public static String emrServerlessJob(SparkLaunch l) {
        Map<String, String> user = l.conf();
        Map<String, String> conf = new LinkedHashMap<>();
        if (l.environment() != null) {
            conf.put("spark.archives", archive(l));
            for (String k : List.of("spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON",
                    "spark.emr-serverless.driverEnv.PYSPARK_PYTHON", "spark.executorEnv.PYSPARK_PYTHON")) {
                conf.put(k, user.getOrDefault(k, ENV_PYTHON));
            }
        }
        putList(conf, "spark.submit.pyFiles", l.pyFiles());
        putList(conf, "spark.jars", l.jars());
        putList(conf, "spark.files", l.files());
        user.forEach(conf::putIfAbsent);

        List<String> params = new ArrayList<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        conf.forEach((k, v) -> {
            if (isPlainWord(k) && (v.isEmpty() || isPlainWord(v))) {
                params.add("--conf " + k + "=" + v);
            } else {
                defaults.put(k, v);
            }
        });

        Map<String, Object> submit = new LinkedHashMap<>();
        submit.put("entryPoint", l.main());
        if (!l.args().isEmpty()) {
            submit.put("entryPointArguments", l.args());
        }
        if (!params.isEmpty()) {
            submit.put("sparkSubmitParameters", String.join(" ", params));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", l.name());
        m.put("jobDriver", Map.of("sparkSubmit", submit));
        if (!defaults.isEmpty()) {
            Map<String, Object> sparkDefaults = new LinkedHashMap<>();
            sparkDefaults.put("classification", "spark-defaults");
            sparkDefaults.put("properties", defaults);
            m.put("configurationOverrides", Map.of("applicationConfiguration", List.of(sparkDefaults)));
        }
        return json(m);
    }

    // A word EMR Serverless's splitting of sparkSubmitParameters cannot change: printable, no whitespace, no quotes or
    // backslashes (whose handling AWS does not document).
    static boolean isPlainWord(String s) {
        return !s.isEmpty() && s.codePoints().allMatch(c -> c > ' ' && c != 0x7f && !Character.isWhitespace(c)
                && !Character.isSpaceChar(c) && !Character.isISOControl(c) && c != '"' && c != '\'' && c != '\\');
    }

    private static void putList(Map<String, String> conf, String key, List<String> values) {
        if (!values.isEmpty()) {
            conf.put(key, String.join(",", values));
        }
    }

    /**
     * {@code dataproc-batch.json}: a Google Cloud Dataproc Serverless {@code Batch} resource, the body of
     * {@code POST https://dataproc.googleapis.com/v1/projects/PROJECT/locations/REGION/batches}. Field names are the
     * JSON names of {@code google.cloud.dataproc.v1.Batch}, {@code PySparkBatch} and {@code RuntimeConfig}
     * (googleapis {@code google/cloud/dataproc/v1/batches.proto} and {@code shared.proto}). The batch has no writable
     * name: its id is given at submission ({@code ?batchId=}, {@code gcloud --batch}).
     *
     * <p>{@code runtimeConfig.properties} holds the user's {@code <conf>} and, with an environment archive,
     * {@code spark.pyspark.python} and {@code spark.pyspark.driver.python} set to {@code ./environment/bin/python},
     * unless the user set either of them.
     */
    public static String dataprocBatch(SparkLaunch l) {
        Map<String, Object> py = new LinkedHashMap<>();
        py.put("mainPythonFileUri", l.main());
        putIfAny(py, "args", l.args());
        putIfAny(py, "pythonFileUris", l.pyFiles());
        putIfAny(py, "jarFileUris", l.jars());
        putIfAny(py, "fileUris", l.files());
        putIfAny(py, "archiveUris", l.environment() == null ? List.of() : List.of(archive(l)));
        Map<String, String> properties = l.effectiveConf();
        if (l.environment() != null && !l.conf().containsKey("spark.pyspark.python")) {
            properties.putIfAbsent("spark.pyspark.driver.python", ENV_PYTHON);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pysparkBatch", py);
        if (!properties.isEmpty()) {
            m.put("runtimeConfig", Map.of("properties", properties));
        }
        return json(m);
    }

    private static void putIfAny(Map<String, Object> m, String key, List<String> values) {
        if (!values.isEmpty()) {
            m.put(key, values);
        }
    }

    /** {@code spark-application.yaml} for the Kubernetes spark-operator. */
    public static String sparkApplication(SparkLaunch l, String image, String sparkVersion) {
        StringBuilder sb = new StringBuilder();
        sb.append("# A SparkApplication for the Kubernetes spark-operator. Written by pybundle.\n");
        sb.append("apiVersion: sparkoperator.k8s.io/v1beta2\nkind: SparkApplication\nmetadata:\n  name: ")
                .append(q(dnsName(l.name()))).append("\nspec:\n  type: Python\n  pythonVersion: \"3\"\n  mode: cluster\n")
                .append("  image: ").append(q(image)).append('\n');
        if (sparkVersion != null) {
            sb.append("  sparkVersion: ").append(q(sparkVersion)).append('\n');
        }
        sb.append("  mainApplicationFile: ").append(q(l.main())).append('\n');
        if (!l.args().isEmpty()) {
            sb.append("  arguments:\n");
            l.args().forEach(a -> sb.append("    - ").append(q(a)).append('\n'));
        }
        sb.append("  deps:\n    pyFiles:\n");
        l.pyFiles().forEach(p -> sb.append("      - ").append(q(p)).append('\n'));
        if (l.environment() != null) {
            sb.append("    archives:\n      - ").append(q(archive(l))).append('\n');
        }
        if (!l.jars().isEmpty()) {
            sb.append("    jars:\n");
            l.jars().forEach(j -> sb.append("      - ").append(q(j)).append('\n'));
        }
        if (!l.files().isEmpty()) {
            sb.append("    files:\n");
            l.files().forEach(f -> sb.append("      - ").append(q(f)).append('\n'));
        }
        sb.append("  sparkConf:\n");
        l.effectiveConf().forEach((k, v) -> sb.append("    ").append(q(k)).append(": ").append(q(v)).append('\n'));
        sb.append("  driver:\n    cores: 1\n  executor:\n    instances: 1\n    cores: 1\n");
        return sb.toString();
    }

    // Kubernetes names: lower-case letters, digits and '-', starting and ending with an alphanumeric.
    static String dnsName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        return n.isEmpty() ? "app" : n.length() > 63 ? n.substring(0, 63).replaceAll("-+$", "") : n;
    }

    // A YAML double-quoted scalar (JSON string syntax is valid YAML).
    private static String q(String s) {
        try {
            return new ObjectMapper().writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The upload commands for a remote directory: the local files and where they go. */
    public static List<String> uploadCommands(String remoteDir, List<String[]> localToRemote) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> dirs = new java.util.LinkedHashSet<>();
        dirs.add(remoteDir);
        localToRemote.forEach(p -> dirs.add(p[1].substring(0, p[1].lastIndexOf('/')))); // e.g. <remoteDir>/jars
        out.add("hdfs dfs -mkdir -p " + String.join(" ", dirs.stream().map(ShellQuoting::quote).toList()));
        for (String[] p : localToRemote) {
            out.add("hdfs dfs -put -f " + ShellQuoting.quote(p[0]) + " " + ShellQuoting.quote(p[1]));
        }
        return out;
    }
}

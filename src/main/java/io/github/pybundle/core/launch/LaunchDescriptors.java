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
 * {@code POST /batches}) and {@code spark-application.yaml} (a Kubernetes spark-operator {@code SparkApplication}).
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

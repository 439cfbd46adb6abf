package io.github.pybundle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How an external {@code spark-submit} (a pyspark virtualenv's, or a launcher that calls it) reaches a
 * {@link HadoopMiniCluster}: the environment to run it in and a {@code SPARK_CONF_DIR} whose spark-defaults.conf
 * keeps the driver, the application master and the executors on 127.0.0.1, gives the containers this JVM's Java
 * and Spark's jars in place, and sizes them for a small machine.
 */
public final class SparkOnYarn {
    /** One finished {@code spark-submit}: exit code, merged stdout and stderr, wall time. */
    public record Submission(int exitCode, String output, Duration elapsed) {
    }

    /**
     * For every JVM of a submission (spark-submit, application master, executors): they live seconds on a machine
     * with few cores, where the C1 compiler alone and a single-threaded collector halve a submission's time.
     */
    private static final String JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private final Path venv;
    private final Path sparkHome;
    private final HadoopMiniCluster cluster;
    private final Path sparkConfDirectory;

    private SparkOnYarn(Path venv, Path sparkHome, HadoopMiniCluster cluster, Path sparkConfDirectory) {
        this.venv = venv;
        this.sparkHome = sparkHome;
        this.cluster = cluster;
        this.sparkConfDirectory = sparkConfDirectory;
    }

    /** Writes {@code workDirectory/spark-conf/spark-defaults.conf} for {@code cluster} and pyspark in {@code venv}. */
    public static SparkOnYarn configure(Path venv, HadoopMiniCluster cluster, Path workDirectory) throws IOException {
        Path sparkHome = sparkHomeOf(venv);
        Map<String, String> defaults = new LinkedHashMap<>();
        // Loopback only: Spark prefers a non-loopback interface when the host name resolves to 127.0.0.1.
        defaults.put("spark.driver.host", HadoopMiniCluster.LOOPBACK);
        defaults.put("spark.driver.bindAddress", HadoopMiniCluster.LOOPBACK);
        defaults.put("spark.yarn.appMasterEnv.SPARK_LOCAL_IP", HadoopMiniCluster.LOOPBACK);
        defaults.put("spark.executorEnv.SPARK_LOCAL_IP", HadoopMiniCluster.LOOPBACK);
        // In cluster mode spark-submit drops spark.driver.host, and the driver in the application master names itself
        // by the canonical name of SPARK_LOCAL_IP ("localhost"); this makes it 127.0.0.1 as in client mode.
        defaults.put("spark.yarn.appMasterEnv.SPARK_LOCAL_HOSTNAME", HadoopMiniCluster.LOOPBACK);
        // Containers run {{JAVA_HOME}}/bin/java; the NodeManager passes on its own JAVA_HOME, which may be unset.
        String javaHome = System.getProperty("java.home");
        defaults.put("spark.yarn.appMasterEnv.JAVA_HOME", javaHome);
        defaults.put("spark.executorEnv.JAVA_HOME", javaHome);
        // Spark's 323 MB of jars are on this (the only) node already: "local:" skips the upload and the localization
        // that an unset spark.yarn.jars costs on every submission.
        defaults.put("spark.yarn.jars", "local:" + sparkHome.resolve("jars") + "/*");
        defaults.put("spark.driver.memory", "512m");
        defaults.put("spark.yarn.am.memory", "512m");
        defaults.put("spark.executor.memory", "512m");
        defaults.put("spark.executor.instances", "1");
        defaults.put("spark.executor.cores", "2");
        defaults.put("spark.driver.extraJavaOptions", JVM_OPTIONS);
        defaults.put("spark.yarn.am.extraJavaOptions", JVM_OPTIONS);
        defaults.put("spark.executor.extraJavaOptions", JVM_OPTIONS);

        Path directory = workDirectory.resolve("spark-conf");
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("spark-defaults.conf"), defaults.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue() + "\n").collect(Collectors.joining()));
        return new SparkOnYarn(venv, sparkHome, cluster, directory);
    }

    /** pyspark's pip distribution is a Spark home: {@code site-packages/pyspark} holds bin/, jars/ and python/lib/. */
    private static Path sparkHomeOf(Path venv) throws IOException {
        try (Stream<Path> libs = Files.list(venv.resolve("lib"))) {
            return libs.map(lib -> lib.resolve("site-packages/pyspark"))
                    .filter(home -> Files.isDirectory(home.resolve("jars")))
                    .findFirst()
                    .orElseThrow(() -> new IOException("No pyspark with jars/ under " + venv.resolve("lib")));
        }
    }

    /** The virtualenv's interpreter, which the executors (on this same machine) can run too. */
    public Path python() {
        return venv.resolve("bin/python");
    }

    /** pyspark's Spark home inside the virtualenv. */
    public Path sparkHome() {
        return sparkHome;
    }

    /** The directory for {@code SPARK_CONF_DIR}. */
    public Path sparkConfDirectory() {
        return sparkConfDirectory;
    }

    /**
     * The variables a {@code spark-submit} on this cluster needs: the configuration directories, the submitting
     * process on 127.0.0.1, the Java of this JVM, and the virtualenv first on PATH.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HADOOP_CONF_DIR", cluster.configurationDirectory().toString());
        env.put("YARN_CONF_DIR", cluster.configurationDirectory().toString());
        env.put("SPARK_CONF_DIR", sparkConfDirectory.toString());
        env.put("SPARK_LOCAL_IP", HadoopMiniCluster.LOOPBACK);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        // spark-submit's own JVM (the driver's too in client mode, which spark.driver.extraJavaOptions adds to).
        env.put("SPARK_SUBMIT_OPTS", JVM_OPTIONS);
        env.put("PATH", venv.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    /** Applies {@link #environment()} to {@code builder}, first removing what a developer's shell may have set. */
    public ProcessBuilder prepare(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        for (String inherited : List.of("SPARK_HOME", "PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "PYTHONPATH",
                "HADOOP_HOME", "SPARK_DIST_CLASSPATH")) {
            env.remove(inherited);
        }
        env.putAll(environment());
        return builder;
    }

    /**
     * Runs the virtualenv's {@code spark-submit --master yarn} with {@code arguments}, output to {@code log}; kills
     * it (and its children) after {@code timeout}.
     */
    public Submission submit(List<String> arguments, Path log, Duration timeout) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(venv.resolve("bin/spark-submit").toString());
        command.add("--master");
        command.add("yarn");
        command.addAll(arguments);
        return run(prepare(new ProcessBuilder(command)), log, timeout);
    }

    /** Runs {@code builder} with output to {@code log}; kills it and its children after {@code timeout}. */
    public static Submission run(ProcessBuilder builder, Path log, Duration timeout) throws IOException,
            InterruptedException {
        long begin = System.nanoTime();
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            return new Submission(-1, read(log) + "\n[killed after " + timeout + "]",
                    Duration.ofNanos(System.nanoTime() - begin));
        }
        return new Submission(process.exitValue(), read(log), Duration.ofNanos(System.nanoTime() - begin));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.github.pybundle.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PySpark on a real YARN and HDFS ({@link HadoopMiniCluster}), submitted by the pyspark virtualenv's
 * {@code spark-submit} in client and in cluster deploy mode, with an archive on HDFS that the NodeManager localizes
 * for the executors. Needs {@code PYBUNDLE_SPARK_VENV} (set by .ci/run); runs in failsafe (mvn verify) with the
 * pom's {@code hadoop.argLine}.
 */
class YarnClusterIT {
    private static final Path WORK = Path.of("target", "yarn-cluster-it");
    private static final Duration SUBMISSION_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern APPLICATION_ID = Pattern.compile("application_\\d+_\\d+");
    private static final String ARCHIVE_DATA = "shipped through an HDFS archive";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String APP = """
            import ipaddress, json, os, sys
            from pyspark.sql import SparkSession

            def address(hexed):
                raw = bytes.fromhex(hexed)
                ip = ipaddress.ip_address(b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4)))
                return str(ip.ipv4_mapped or ip) if ip.version == 6 else str(ip)

            def java_listening():
                # The sockets of the nearest JVM above this Python: the driver's, or the executor's.
                pid = os.getpid()
                while pid > 1:
                    with open(f"/proc/{pid}/stat") as f:
                        stat = f.read()
                    if stat[stat.index("(") + 1:stat.rindex(")")] == "java":
                        break
                    pid = int(stat[stat.rindex(")") + 2:].split()[1])
                inodes = set()
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    try:
                        link = os.readlink(f"/proc/{pid}/fd/{fd}")
                    except OSError:
                        continue
                    if link.startswith("socket:["):
                        inodes.add(link[8:-1])
                found = []
                for table in ("tcp", "tcp6"):
                    with open(f"/proc/{pid}/net/{table}") as f:
                        for line in list(f)[1:]:
                            fields = line.split()
                            if fields[3] == "0A" and fields[9] in inodes:
                                host, port = fields[1].split(":")
                                found.append(f"{address(host)}:{int(port, 16)}")
                return found

            def on_executor(i):
                with open("environment/data.txt") as f:
                    data = f.read().strip()
                return {"square": i * i, "data": data, "archive": os.path.realpath("environment"),
                        "python": list(sys.version_info[:2]), "local_ip": os.environ.get("SPARK_LOCAL_IP"),
                        "listening": java_listening()}

            spark = SparkSession.builder.appName("pybundle-yarn-it").getOrCreate()
            sc = spark.sparkContext
            rows = sc.parallelize(range(1, 11), 4).map(on_executor).collect()
            executors = sc._jsc.sc().statusTracker().getExecutorInfos()
            result = {
                "deploy_mode": sc.getConf().get("spark.submit.deployMode"),
                "driver_host": sc.getConf().get("spark.driver.host"),
                "driver_python": list(sys.version_info[:2]),
                "driver_listening": java_listening(),
                "block_managers": [f"{e.host()}:{e.port()}" for e in executors],
                "sum": sum(r["square"] for r in rows),
                "data": sorted({r["data"] for r in rows}),
                "archives": sorted({r["archive"] for r in rows}),
                "executor_pythons": sorted({tuple(r["python"]) for r in rows}),
                "executor_local_ips": sorted({str(r["local_ip"]) for r in rows}),
                "executor_listening": sorted({a for r in rows for a in r["listening"]}),
            }
            sc.parallelize([json.dumps(result)], 1).saveAsTextFile(sys.argv[1])
            print("RESULT " + json.dumps(result))
            spark.stop()
            """;

    private static HadoopMiniCluster cluster;
    private static SparkOnYarn spark;
    private static FileSystem hdfs;
    private static Path app;
    private static String archive;
    private static long begin;

    @BeforeAll
    static void startCluster() throws Exception {
        begin = System.nanoTime();
        String venv = System.getenv("PYBUNDLE_SPARK_VENV");
        if (venv == null || !Files.isExecutable(Path.of(venv, "bin/spark-submit"))) {
            String reason = "set PYBUNDLE_SPARK_VENV to a virtualenv with pyspark 3.5 (see .ci/run)";
            if (System.getenv("CI") != null) {
                Assertions.fail("CI must run the YARN tests: PYBUNDLE_SPARK_VENV (set by .ci/run) has no spark-submit");
            }
            // Printed too: surefire and failsafe report a class aborted in @BeforeAll as zero tests, without the reason.
            System.out.println("Skipped the YARN tests: " + reason);
            Assumptions.abort("Skipped the YARN tests: " + reason);
        }
        deleteRecursively(WORK);
        Files.createDirectories(WORK);
        cluster = HadoopMiniCluster.start("yarn-cluster-it-nodes", WORK.toAbsolutePath(),
                HadoopMiniCluster.Resources.small());
        System.out.printf("YARN: HDFS and YARN started in %.1f s%n", seconds(cluster.startup()));
        spark = SparkOnYarn.configure(Path.of(venv), cluster, WORK.toAbsolutePath());
        hdfs = cluster.fileSystem();

        app = WORK.toAbsolutePath().resolve("yarn_app.py");
        Files.writeString(app, APP);
        Path environment = WORK.resolve("env.tar.gz");
        writeArchive(environment, "data.txt", ARCHIVE_DATA + "\n");
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path("/pybundle/env.tar.gz");
        hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(environment.toAbsolutePath().toUri()), remote);
        archive = cluster.hdfs() + remote.toString();
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (hdfs != null) {
            hdfs.close();
        }
        if (cluster != null) {
            long stop = System.nanoTime();
            cluster.close();
            System.out.printf("YARN: stopped in %.1f s; the whole test took %.1f s%n",
                    (System.nanoTime() - stop) / 1e9, (System.nanoTime() - begin) / 1e9);
        }
    }

    @Test
    void everyServerOfHdfsAndYarnListensOnLoopbackOnly() throws IOException {
        List<InetSocketAddress> listening = ListeningSockets.ofThisProcess();
        assertFalse(listening.isEmpty());
        assertTrue(listening.stream().allMatch(a -> isLoopbackLiteral(a.getAddress())),
                () -> "servers on other addresses: " + listening);
        assertEquals(HadoopMiniCluster.LOOPBACK, cluster.nameNodeAddress().getAddress().getHostAddress());
        assertEquals(HadoopMiniCluster.LOOPBACK, cluster.dataNodeAddress().getAddress().getHostAddress());
        assertEquals(HadoopMiniCluster.LOOPBACK, cluster.dataNodeHostName());
        assertEquals(HadoopMiniCluster.LOOPBACK, cluster.resourceManagerAddress().getHostString());
        // The NodeManager's id carries the canonical name of 127.0.0.1 (localhost), as YARN builds it.
        String nodeManagerHost = cluster.nodeManagerId().getHost();
        assertTrue(InetAddress.getByName(nodeManagerHost).isLoopbackAddress(),
                () -> "the NodeManager's id names " + nodeManagerHost);
        for (int port : List.of(cluster.nameNodeAddress().getPort(), cluster.dataNodeAddress().getPort(),
                cluster.resourceManagerAddress().getPort(), cluster.nodeManagerId().getPort())) {
            assertTrue(listening.contains(new InetSocketAddress(HadoopMiniCluster.LOOPBACK, port)),
                    () -> port + " is not among " + listening);
        }
        String yarnSite = Files.readString(cluster.configurationDirectory().resolve("yarn-site.xml"));
        assertTrue(yarnSite.contains("<value>127.0.0.1:" + cluster.resourceManagerAddress().getPort() + "</value>"),
                yarnSite);
    }

    @Test
    void clientModeRunsTheDriverHereAndTheExecutorsInContainers() throws Exception {
        JsonNode result = submit("client");
        assertEquals("client", result.path("deploy_mode").asText());
    }

    @Test
    void clusterModeRunsTheDriverInTheApplicationMaster() throws Exception {
        JsonNode result = submit("cluster");
        assertEquals("cluster", result.path("deploy_mode").asText());
    }

    /**
     * A pybundle application (src/test/projects/yarn-app: pandas, pyarrow and scikit-learn in the environment
     * archive, dateutil and the project's package in the zip, a Java class in the project's JAR) built by Maven with
     * {@code <remoteDir>hdfs:///pybundle-it/yarn-app</remoteDir>} and run by its own spark-submit.sh: the launcher
     * uploads each file to sha256/&lt;digest&gt;/ once, so a second submission uploads nothing and a change of Python
     * code uploads only the zip; the files are public, so the NodeManager localizes the archive once for all runs.
     */
    @Test
    void aPybundleApplicationRunsFromUploadsMadeOnce() throws Exception {
        Path project = WORK.toAbsolutePath().resolve("yarn-app");
        copyTree(Path.of("src/test/projects/yarn-app"), project);
        double build = mavenPackage(project, "build-1.log");
        Path launcher = project.resolve("target/pybundle/spark-submit.sh");
        String bundle = "yarn-app-1.0.0";

        Launch first = launch(launcher, "cluster", "app-1");
        assertEquals(List.of(bundle + "-pyfiles.zip", bundle + "-pyenv.tar.gz", "main.py", "jars/" + bundle + ".jar"),
                first.uploaded(), first.output());
        JsonNode r = first.result();
        String context = r.toPrettyString();
        assertEquals("cluster", r.path("deploy_mode").asText(), context);
        assertEquals(55, r.path("sum").asInt(), context);
        assertEquals("hello yarn from the project's JAR", r.path("java").asText(), context);
        assertEquals("ZIP!", r.path("shout").asText(), context);
        assertEquals(List.of("3.11"), texts(r.path("executor_python")), context);
        for (String pandas : texts(r.path("pandas"))) { // imported from the archive YARN unpacked for the container
            assertTrue(pandas.matches(".*/container_[0-9_e]+/environment/lib/python3\\.11/site-packages/pandas/"
                    + "__init__\\.py"), pandas);
        }
        // The driver ran in the application master, on the environment's Python (through bin/python).
        assertTrue(r.path("driver_python").asText().startsWith(spark.python().toRealPath().getParent().toString()),
                context);
        String driverLog = cluster.containerLogs(first.applicationId(), 400);
        assertFalse(driverLog.contains("Failed to add file ["), driverLog); // pyspark's warning, not the setting
        Map<String, Long> uploadedOnce = remoteFiles();
        assertEquals(4, uploadedOnce.size(), uploadedOnce.toString());

        // The same bundle again, in client mode: nothing uploaded, nothing on HDFS touched.
        Launch second = launch(launcher, "client", "app-2");
        assertEquals(List.of(), second.uploaded(), second.output());
        assertEquals(4, second.output().split("pybundle: already uploaded: ", -1).length - 1, second.output());
        assertEquals("client", second.result().path("deploy_mode").asText());
        assertEquals(uploadedOnce, remoteFiles());

        // Only Python code changed: only the zip goes up (to a new place); the archive and the JAR stay.
        Path module = project.resolve("src/main/python/yarnapp/__init__.py");
        Files.writeString(module, Files.readString(module).replace("+ \"!\"", "+ \"!!\""));
        double rebuild = mavenPackage(project, "build-2.log");
        Launch third = launch(launcher, "client", "app-3");
        assertEquals(List.of(bundle + "-pyfiles.zip"), third.uploaded(), third.output());
        assertEquals("ZIP!!", third.result().path("shout").asText());
        Map<String, Long> after = remoteFiles();
        assertEquals(5, after.size(), after.toString());
        assertTrue(after.entrySet().containsAll(uploadedOnce.entrySet()), after.toString());

        // World-readable uploads are PUBLIC resources: one localization of the archive on the node for all three runs.
        List<Path> localized = new ArrayList<>();
        for (Path dir : cluster.nodeManagerLocalDirectories()) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> p.getFileName().toString().equals(bundle + "-pyenv.tar.gz")).forEach(localized::add);
            }
        }
        assertEquals(1, localized.size(), localized.toString());
        assertTrue(localized.get(0).getParent().getParent().getFileName().toString().equals("filecache")
                && !localized.get(0).toString().contains("/usercache/"), localized.toString());
        System.out.printf("YARN: pybundle app built in %.1f s, rebuilt in %.1f s; cluster mode %.1f s (uploaded %d"
                        + " files, %d bytes), client mode %.1f s (uploaded none), after a Python change %.1f s"
                        + " (uploaded %d bytes)%n", build, rebuild, first.seconds(), first.uploaded().size(),
                first.uploadedBytes(), second.seconds(), third.seconds(), third.uploadedBytes());
    }

    /** One run of the application's spark-submit.sh. */
    private record Launch(String output, double seconds, String applicationId, JsonNode result) {
        private static final Pattern UPLOADED = Pattern.compile("pybundle: uploaded (\\S+) \\((\\d+) bytes\\)");

        List<String> uploaded() {
            List<String> files = new ArrayList<>();
            Matcher m = UPLOADED.matcher(output);
            while (m.find()) {
                files.add(m.group(1));
            }
            return files;
        }

        long uploadedBytes() {
            long bytes = 0;
            Matcher m = UPLOADED.matcher(output);
            while (m.find()) {
                bytes += Long.parseLong(m.group(2));
            }
            return bytes;
        }
    }

    private static Launch launch(Path launcher, String deployMode, String name) throws Exception {
        String output = cluster.hdfs() + "/results/" + name;
        ProcessBuilder pb = spark.prepare(new ProcessBuilder(launcher.toString(), output));
        pb.environment().put("PYBUNDLE_DEPLOY_MODE", deployMode);
        // The nodes' python3 may be another version: bin/python of the archive runs this one (3.11) everywhere.
        pb.environment().put("PYBUNDLE_PYTHON", spark.python().toString());
        pb.environment().put("PYBUNDLE_CACHE", WORK.toAbsolutePath().resolve("launcher-cache").toString());
        SparkOnYarn.Submission run = SparkOnYarn.run(pb, WORK.resolve(name + ".log"), SUBMISSION_TIMEOUT);
        Matcher id = APPLICATION_ID.matcher(run.output());
        String applicationId = id.find() ? id.group() : "(no application id)";
        assertEquals(0, run.exitCode(), () -> run.output() + "\n" + cluster.containerLogs(applicationId, 80));
        JsonNode result;
        try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(output + "/part-00000"))) {
            result = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        return new Launch(run.output(), seconds(run.elapsed()), applicationId, result);
    }

    // The content-addressed uploads and their modification times.
    private static Map<String, Long> remoteFiles() throws IOException {
        Map<String, Long> files = new java.util.TreeMap<>();
        var it = hdfs.listFiles(new org.apache.hadoop.fs.Path("/pybundle-it/yarn-app/sha256"), true);
        while (it.hasNext()) {
            var f = it.next();
            files.put(f.getPath().toUri().getPath(), f.getModificationTime());
        }
        return files;
    }

    // mvn package of the fixture with the plugin under test (installed in target/local-repo by maven-invoker), other
    // artifacts from the user's repository, as maven-invoker's own builds get them.
    private static double mavenPackage(Path project, String log) throws Exception {
        String version = System.getProperty("pybundle.version");
        String localRepository = System.getProperty("pybundle.localRepository");
        String userRepository = System.getProperty("pybundle.userRepository");
        Assertions.assertNotNull(version, "run through mvn verify: failsafe passes pybundle.version and the"
                + " repositories");
        Path settings = WORK.toAbsolutePath().resolve("settings.xml");
        String url = Path.of(userRepository).toUri().toString();
        Files.writeString(settings, "<settings><profiles><profile><id>user-repository</id><activation>"
                + "<activeByDefault>true</activeByDefault></activation><repositories><repository><id>local.central"
                + "</id><url>" + url + "</url></repository></repositories><pluginRepositories><pluginRepository><id>"
                + "local.central</id><url>" + url + "</url></pluginRepository></pluginRepositories></profile>"
                + "</profiles></settings>\n");
        String mavenHome = System.getProperty("maven.home");
        String mvn = mavenHome == null ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString();
        ProcessBuilder pb = new ProcessBuilder(mvn, "-B", "-s", settings.toString(), "-Dmaven.repo.local="
                + localRepository, "-Dpybundle.version=" + version, "package").directory(project.toFile());
        pb.environment().remove("MAVEN_OPTS");
        SparkOnYarn.Submission run = SparkOnYarn.run(pb, WORK.resolve(log), Duration.ofMinutes(10));
        assertEquals(0, run.exitCode(), run::output);
        return seconds(run.elapsed());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        deleteRecursively(to);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Submits the app, reads its result from HDFS and checks what both deploy modes share. */
    private static JsonNode submit(String deployMode) throws Exception {
        String output = cluster.hdfs() + "/results/" + deployMode;
        String python = spark.python().toString();
        List<String> arguments = new ArrayList<>(List.of("--deploy-mode", deployMode,
                "--name", "pybundle-yarn-it-" + deployMode,
                "--conf", "spark.pyspark.python=" + python,
                "--conf", "spark.yarn.appMasterEnv.PYSPARK_PYTHON=" + python,
                "--archives", archive + "#environment",
                app.toString(), output));
        SparkOnYarn.Submission run = spark.submit(arguments, WORK.resolve(deployMode + ".log"), SUBMISSION_TIMEOUT);
        Matcher id = APPLICATION_ID.matcher(run.output());
        String applicationId = id.find() ? id.group() : "(no application id)";
        System.out.printf("YARN: %s mode, %s, finished in %.1f s (exit %d)%n", deployMode, applicationId,
                seconds(run.elapsed()), run.exitCode());
        assertEquals(0, run.exitCode(), () -> run.output() + "\n" + cluster.containerLogs(applicationId, 80));

        JsonNode result;
        try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(output + "/part-00000"))) {
            result = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String context = result.toPrettyString();
        assertEquals(385, result.path("sum").asInt(), context);
        // The executors read the file from the archive the NodeManager localized from HDFS (world-readable there,
        // so into its public cache: <local-dir>/filecache/<n>/env.tar.gz).
        assertEquals(List.of(ARCHIVE_DATA), texts(result.path("data")), context);
        for (String localized : texts(result.path("archives"))) {
            assertTrue(cluster.nodeManagerLocalDirectories().stream()
                            .anyMatch(dir -> Path.of(localized).startsWith(dir.resolve("filecache"))),
                    () -> localized + " is not in the NodeManager's public cache " + cluster.nodeManagerLocalDirectories());
            assertTrue(localized.endsWith("/env.tar.gz"), localized);
        }
        // Executors run the driver's Python minor version.
        assertEquals(List.of(result.path("driver_python").toString()), texts(result.path("executor_pythons")),
                context);
        // Loopback only: the driver's advertised host, and every socket the driver's and the executors' JVMs listen on.
        assertEquals(HadoopMiniCluster.LOOPBACK, result.path("driver_host").asText(), context);
        assertEquals(List.of(HadoopMiniCluster.LOOPBACK), texts(result.path("executor_local_ips")), context);
        List<String> listening = new ArrayList<>(texts(result.path("driver_listening")));
        listening.addAll(texts(result.path("executor_listening")));
        assertFalse(texts(result.path("executor_listening")).isEmpty(), context);
        assertTrue(listening.stream().allMatch(a -> a.startsWith(HadoopMiniCluster.LOOPBACK + ":")), context);
        for (String blockManager : texts(result.path("block_managers"))) {
            String host = blockManager.substring(0, blockManager.lastIndexOf(':'));
            assertTrue(InetAddress.getByName(host).isLoopbackAddress(), context);
        }
        return result;
    }

    private static boolean isLoopbackLiteral(InetAddress address) {
        return address.getHostAddress().equals(HadoopMiniCluster.LOOPBACK);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.isTextual() ? node.asText() : node.toString()));
        return texts;
    }

    private static void writeArchive(Path file, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(bytes.length);
            entry.setMode(0100644);
            tar.putArchiveEntry(entry);
            tar.write(bytes);
            tar.closeArchiveEntry();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}

package io.github.pybundle.core.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.archive.ReproducibleTarWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the generated script with a stand-in spark-submit that prints its arguments one per line, then
 * {@code PYTHONPATH=<value>}.
 */
class SparkSubmitScriptTest {
    @TempDir
    Path dir;

    private Path script(SparkLaunch launch, String localEnv) throws IOException {
        Path script = dir.resolve("target dir/pybundle/spark-submit.sh");
        new SparkSubmitScript(launch, localEnv, "pybundle test").write(script);
        return script;
    }

    private static SparkLaunch launch(String master, String deployMode, String env) {
        return new SparkLaunch("my app", master, deployMode, "main.py", List.of("my-app-1.0-pyfiles.zip"), env,
                env == null ? null : "ab".repeat(32), List.of(), Map.of("spark.executor.memory", "2g"),
                List.of("--from-pom"), false);
    }

    private Path fakeSparkSubmit(Path binDir) throws IOException {
        Files.createDirectories(binDir);
        Path fake = binDir.resolve("spark-submit");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n"
                + "echo \"PYTHONPATH=${PYTHONPATH:-}\"\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        return fake;
    }

    private record Result(int exit, List<String> lines, String err) {
    }

    private Result run(Path script, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("PYBUNDLE_CACHE", dir.resolve("cache").toString());
        pb.environment().putAll(new HashMap<>(env));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out.isEmpty() ? List.of() : List.of(out.split("\n")), err);
    }

    private Map<String, String> spark() throws IOException {
        Path home = dir.resolve("spark");
        fakeSparkSubmit(home.resolve("bin"));
        return Map.of("SPARK_HOME", home.toString(), "PYTHONPATH", "/inherited");
    }

    @Test
    void run_passesMasterNameConfPyFilesMainAndArgumentsIntactAndClearsPythonpath() throws Exception {
        Path script = script(launch("yarn", "client", null), null);
        assertTrue(Files.isExecutable(script));
        Result r = run(script, spark(), "in put.txt", "it's");
        assertEquals(0, r.exit(), r.err());
        Path base = dir.resolve("target dir/pybundle");
        assertEquals(List.of("--master", "yarn", "--deploy-mode", "client", "--name", "my app", "--conf",
                "spark.executor.memory=2g", "--py-files", base + "/my-app-1.0-pyfiles.zip", base + "/main.py",
                "--from-pom", "in put.txt", "it's", "PYTHONPATH="), r.lines());
    }

    @Test
    void run_shipsExtraFilesGivenAsAbsolutePathsAsTheyAre() throws Exception {
        Path data = Files.writeString(Files.createDirectories(dir.resolve("data dir")).resolve("lookup.csv"), "a,b\n");
        SparkLaunch l = new SparkLaunch("my app", "local[*]", "client", "main.py", List.of("my-app-1.0-pyfiles.zip"),
                null, null, List.of(data.toString(), "relative.txt"), Map.of(), List.of(), false);
        Result r = run(script(l, null), spark());
        assertEquals(0, r.exit(), r.err());
        Path base = dir.resolve("target dir/pybundle");
        int at = r.lines().indexOf("--files");
        assertEquals(data + "," + base + "/relative.txt", r.lines().get(at + 1));
    }

    @Test
    void run_shipsTheJarsBesideTheLauncherByRelativePath() throws Exception {
        SparkLaunch l = new SparkLaunch("my app", "local[*]", "client", "main.py", List.of("my-app-1.0-pyfiles.zip"),
                null, null, List.of(), Map.of(), List.of(), false, List.of("jars/my-app-1.0.jar", "jars/dep 2.jar"));
        Result r = run(script(l, null), spark());
        assertEquals(0, r.exit(), r.err());
        Path base = dir.resolve("target dir/pybundle");
        int at = r.lines().indexOf("--jars");
        assertEquals(base + "/jars/my-app-1.0.jar," + base + "/jars/dep 2.jar", r.lines().get(at + 1));
    }

    @Test
    void run_letsTheEnvironmentOverrideMasterAndDeployMode() throws Exception {
        Map<String, String> env = new HashMap<>(spark());
        env.put("PYBUNDLE_MASTER", "spark://h:7077");
        env.put("PYBUNDLE_DEPLOY_MODE", "cluster");
        Result r = run(script(launch("local[*]", "client", null), null), env);
        assertEquals(List.of("--master", "spark://h:7077", "--deploy-mode", "cluster"), r.lines().subList(0, 4));
    }

    private Path envArchive() throws IOException {
        Path archive = dir.resolve("target dir/pybundle/my-app-1.0-pyenv.tar.gz"); // beside the launcher
        try (ReproducibleTarWriter tar = new ReproducibleTarWriter(archive, Instant.parse("2024-01-01T00:00:00Z"))) {
            tar.addDirectory("bin/");
            tar.addBytes("bin/python", "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.UTF_8), 0100755);
            tar.commit();
        }
        return archive;
    }

    @Test
    void localMode_shipsTheArchiveAndRunsDriverAndWorkersFromAnUnpackedCopy() throws Exception {
        envArchive();
        Result r = run(script(launch("local[2]", "client", "my-app-1.0-pyenv.tar.gz"),
                "my-app-1.0-pyenv.tar.gz"), spark());
        assertEquals(0, r.exit(), r.err());
        Path unpacked = dir.resolve("cache/environments/" + "ab".repeat(32));
        assertTrue(Files.isExecutable(unpacked.resolve("bin/python")), "unpacked once into the cache");
        List<String> l = r.lines();
        assertTrue(l.contains("spark.pyspark.python=./environment/bin/python"), l.toString());
        assertTrue(l.contains("spark.pyspark.driver.python=" + unpacked + "/bin/python"), l.toString());
        assertTrue(l.indexOf("spark.pyspark.python=" + unpacked + "/bin/python")
                > l.indexOf("spark.pyspark.python=./environment/bin/python"), "the local override comes last: " + l);
        assertTrue(l.contains(dir.resolve("target dir/pybundle") + "/my-app-1.0-pyenv.tar.gz#environment"), l.toString());
        assertEquals(0, run(script(launch("local[2]", "client", "my-app-1.0-pyenv.tar.gz"),
                "my-app-1.0-pyenv.tar.gz"), spark()).exit(), "a second run reuses the unpacked copy");
    }

    // The unpacked environments of earlier archives, as earlier launches left them.

    private static String host() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "uname -n | tr -cd 'A-Za-z0-9.-'").start();
        String h = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return h.isEmpty() ? "localhost" : h;
    }

    private Path environments() {
        return dir.resolve("cache/environments");
    }

    // An unpacked environment last used {@code hoursAgo} hours ago.
    private Path unpacked(String sha, int hoursAgo) throws IOException {
        Path env = Files.createDirectories(environments().resolve(sha).resolve("bin"));
        Files.writeString(env.resolve("python"), "#!/bin/sh\n");
        Files.setLastModifiedTime(env.getParent(), java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(
                3600L * hoursAgo)));
        return env.getParent();
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private List<String> remaining() throws IOException {
        try (var s = Files.list(environments())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void localDriver_keepsTheNewestEnvironmentsAndThoseInUseAndRemovesTheRest() throws Exception {
        envArchive();
        String own = "ab".repeat(32);
        String e1 = "01".repeat(32);
        String e2 = "02".repeat(32);
        String e3 = "03".repeat(32);
        String e4 = "04".repeat(32);
        String e5 = "05".repeat(32);
        for (String e : List.of(e1, e2, e3, e4, e5)) {
            unpacked(e, Integer.parseInt(e.substring(0, 2)));
        }
        String host = host();
        Process running = new ProcessBuilder("sleep", "60").start(); // a launcher still running
        try {
            Files.createFile(environments().resolve(e4 + ".inuse." + host + "." + running.pid()));
            Files.createFile(environments().resolve(e3 + ".inuse.other-host.example.1")); // cannot be checked
            long dead = deadPid();
            Files.createFile(environments().resolve(e5 + ".inuse." + host + "." + dead)); // its launcher is gone
            Files.createDirectories(environments().resolve(e1 + ".tmp." + host + "." + dead + "/lib"));
            Files.createDirectories(environments().resolve(e2 + ".tmp." + host + "." + running.pid()));
            Map<String, String> env = new HashMap<>(spark());
            env.put("PYBUNDLE_KEEP_ENVIRONMENTS", "2");
            Result r = run(script(launch("local[2]", "client", "my-app-1.0-pyenv.tar.gz"),
                    "my-app-1.0-pyenv.tar.gz"), env);
            assertEquals(0, r.exit(), r.err());
            List<String> left = remaining();
            // The newest two by last use (this launch's and e1), e3 (another host's mark), e4 (a live mark); the
            // unpacking of a live process stays, a dead one's goes.
            assertEquals(List.of(e1, e2 + ".tmp." + host + "." + running.pid(), e3, e3 + ".inuse.other-host.example.1",
                    e4, e4 + ".inuse." + host + "." + running.pid(), own), left.stream().filter(n -> !n.startsWith(
                    own + ".inuse.")).toList());
            assertTrue(left.stream().anyMatch(n -> n.startsWith(own + ".inuse." + host + ".")), "marked: " + left);
            assertTrue(r.err().contains("pybundle: removed the unpacked environment " + environments() + "/" + e2
                    + ", not used lately (the newest 2 are kept: PYBUNDLE_KEEP_ENVIRONMENTS)"), r.err());
            assertTrue(r.err().contains("/" + e5 + ", not used lately"), r.err());
        } finally {
            running.destroy();
        }
        // The next launch finds the first one's mark stale (its process is gone) and removes it.
        Map<String, String> env = new HashMap<>(spark());
        env.put("PYBUNDLE_KEEP_ENVIRONMENTS", "0");
        running.waitFor();
        Result r = run(script(launch("local[2]", "client", "my-app-1.0-pyenv.tar.gz"), "my-app-1.0-pyenv.tar.gz"),
                env);
        assertEquals(0, r.exit(), r.err());
        List<String> left = remaining();
        assertEquals(List.of(e3, e3 + ".inuse.other-host.example.1", own), left.stream().filter(n -> !n.startsWith(
                own + ".inuse.")).toList());
        assertEquals(1, left.stream().filter(n -> n.startsWith(own + ".inuse.")).count(), left.toString());
    }

    @Test
    void localDriver_neverRemovesTheEnvironmentOfALauncherStillRunning() throws Exception {
        envArchive();
        // Launcher A runs (its spark-submit waits for a file); launcher B, of another archive, keeps none.
        Path sparkA = dir.resolve("spark-a/bin");
        Files.createDirectories(sparkA);
        Path started = dir.resolve("a-started");
        Path stop = dir.resolve("a-stop");
        Files.writeString(sparkA.resolve("spark-submit"), "#!/bin/sh\ntouch '" + started + "'\nwhile [ ! -e '"
                + stop + "' ]; do sleep 0.1; done\n");
        Files.setPosixFilePermissions(sparkA.resolve("spark-submit"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path scriptA = script(launch("local[2]", "client", "my-app-1.0-pyenv.tar.gz"), "my-app-1.0-pyenv.tar.gz");
        ProcessBuilder a = new ProcessBuilder(scriptA.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("a.log").toFile());
        a.environment().put("PATH", "/usr/bin:/bin");
        a.environment().put("PYBUNDLE_CACHE", dir.resolve("cache").toString());
        a.environment().put("SPARK_HOME", sparkA.getParent().toString());
        Process launcherA = a.start();
        try {
            for (int i = 0; i < 200 && !Files.exists(started); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(started), "launcher A runs");
            String envA = "ab".repeat(32);
            Files.setLastModifiedTime(environments().resolve(envA), java.nio.file.attribute.FileTime.from(
                    Instant.now().minusSeconds(86400 * 30))); // long unused, yet in use

            String envB = "cd".repeat(32);
            SparkLaunch other = new SparkLaunch("my app", "local[2]", "client", "main.py",
                    List.of("my-app-1.0-pyfiles.zip"), "my-app-1.0-pyenv.tar.gz", envB, List.of(), Map.of(),
                    List.of(), false);
            Path scriptB = dir.resolve("b/pybundle/spark-submit.sh");
            new SparkSubmitScript(other, "../../target dir/pybundle/my-app-1.0-pyenv.tar.gz", "pybundle test")
                    .write(scriptB);
            Map<String, String> keepNone = new HashMap<>(spark());
            keepNone.put("PYBUNDLE_KEEP_ENVIRONMENTS", "0");
            Result b = run(scriptB, keepNone);
            assertEquals(0, b.exit(), b.err());
            assertTrue(Files.isDirectory(environments().resolve(envA)), "A's environment is in use: " + remaining());
            assertTrue(Files.isDirectory(environments().resolve(envB)), "B's own, in use while it prunes");

            Files.createFile(stop);
            assertEquals(0, launcherA.waitFor());
            Result again = run(scriptB, keepNone);
            assertEquals(0, again.exit(), again.err());
            assertFalse(Files.exists(environments().resolve(envA)), "A ended: its environment goes");
            assertTrue(Files.isDirectory(environments().resolve(envB)));
        } finally {
            launcherA.destroy();
        }
    }

    @Test
    void localDriver_refusesAKeepCountThatIsNotANumber() throws Exception {
        envArchive();
        Map<String, String> env = new HashMap<>(spark());
        env.put("PYBUNDLE_KEEP_ENVIRONMENTS", "all");
        Result r = run(script(launch("local[2]", "client", "my-app-1.0-pyenv.tar.gz"), "my-app-1.0-pyenv.tar.gz"),
                env);
        assertEquals(2, r.exit());
        assertEquals("pybundle: PYBUNDLE_KEEP_ENVIRONMENTS is 'all'; give how many unpacked environments to keep (a"
                + " number, default 3)\n", r.err());
    }

    @Test
    void clusterMode_leavesTheDriverToTheClusterAndUnpacksNothing() throws Exception {
        envArchive();
        Result r = run(script(launch("yarn", "cluster", "my-app-1.0-pyenv.tar.gz"),
                "my-app-1.0-pyenv.tar.gz"), spark());
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.lines().stream().anyMatch(a -> a.startsWith("spark.pyspark.driver.python")), r.lines().toString());
        assertFalse(Files.exists(dir.resolve("cache")));
    }

    @Test
    void pybundlePythonSetAtLaunch_reachesTheExecutorsAndTheYarnApplicationMaster() throws Exception {
        envArchive();
        Map<String, String> env = new HashMap<>(spark());
        env.put("PYBUNDLE_PYTHON", "/opt/python 3.8/bin/python3.8");
        Result r = run(script(launch("yarn", "cluster", "my-app-1.0-pyenv.tar.gz"),
                "my-app-1.0-pyenv.tar.gz"), env);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.lines().contains("spark.executorEnv.PYBUNDLE_PYTHON=/opt/python 3.8/bin/python3.8"),
                r.lines().toString());
        assertTrue(r.lines().contains("spark.yarn.appMasterEnv.PYBUNDLE_PYTHON=/opt/python 3.8/bin/python3.8"),
                r.lines().toString());
        Result without = run(script(launch("yarn", "cluster", "my-app-1.0-pyenv.tar.gz"),
                "my-app-1.0-pyenv.tar.gz"), spark());
        assertFalse(without.lines().stream().anyMatch(a -> a.contains("PYBUNDLE_PYTHON")), "nothing set, nothing"
                + " passed: " + without.lines());
    }

    @Test
    void run_explainsWhenSparkSubmitCannotBeFound() throws Exception {
        Result r = run(script(launch("local[*]", "client", null), null), Map.of());
        assertEquals(127, r.exit());
        assertEquals("pybundle: spark-submit not found; set SPARK_HOME or put spark-submit on PATH\n", r.err());
    }
}

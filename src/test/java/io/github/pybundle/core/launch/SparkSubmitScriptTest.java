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

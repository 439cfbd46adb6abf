package io.github.pybundle.core.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the generated script with a stand-in spark-submit that prints the arguments it received, one per line. */
class SparkSubmitScriptTest {
    @TempDir
    Path dir;
    Path script;

    @BeforeEach
    void writeScript() throws IOException {
        script = dir.resolve("target dir/pybundle/spark-submit.sh");
        new SparkSubmitScript("my app", "../my-app-1.0-pyfiles.zip", "main.py", "pybundle test").write(script);
    }

    private Path fakeSparkSubmit(Path binDir) throws IOException {
        Files.createDirectories(binDir);
        Path fake = binDir.resolve("spark-submit");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        return fake;
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }

    private record Result(int exit, String out, String err) {
    }

    @Test
    void write_makesAnExecutableScript() throws Exception {
        assertTrue(Files.isExecutable(script));
        assertTrue(Files.readString(script).startsWith("#!/bin/sh\n"));
    }

    @Test
    void run_usesSparkHomeAndPassesPyFilesMainAndArgumentsIntact() throws Exception {
        Path sparkHome = dir.resolve("spark");
        fakeSparkSubmit(sparkHome.resolve("bin"));
        Result r = run(Map.of("SPARK_HOME", sparkHome.toString()), "in put.txt", "--out", "it's");
        assertEquals(0, r.exit(), r.err());
        Path base = dir.resolve("target dir/pybundle");
        assertEquals(List.of("--name", "my app", "--py-files", base + "/../my-app-1.0-pyfiles.zip",
                base + "/main.py", "in put.txt", "--out", "it's"), List.of(r.out().split("\n")));
    }

    @Test
    void run_fallsBackToSparkSubmitOnPath() throws Exception {
        Path bin = dir.resolve("bin");
        fakeSparkSubmit(bin);
        Result r = run(Map.of("PATH", bin + ":/usr/bin:/bin"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("--name\nmy app\n--py-files\n"), r.out());
    }

    @Test
    void run_explainsWhenSparkSubmitCannotBeFound() throws Exception {
        Result r = run(Map.of());
        assertEquals(127, r.exit());
        assertEquals("pybundle: spark-submit not found; set SPARK_HOME or put spark-submit on PATH\n", r.err());
    }

    @Test
    void run_explainsABadSparkHome() throws Exception {
        Result r = run(Map.of("SPARK_HOME", dir.resolve("nowhere").toString()));
        assertEquals(127, r.exit());
        assertTrue(r.err().contains("is missing or not executable; check SPARK_HOME"), r.err());
    }
}

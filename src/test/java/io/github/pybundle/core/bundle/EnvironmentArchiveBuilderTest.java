package io.github.pybundle.core.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.wheel.UnsafeWheelException;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.testing.TestWheels;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentArchiveBuilderTest {
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
    private static final EnvironmentArchiveBuilder.Interpreter PY311 =
            new EnvironmentArchiveBuilder.Interpreter(3, 11, "python3");

    @TempDir
    Path dir;

    private Path nativeWheel() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("fastlib/__init__.py", "from fastlib._core import VALUE\n");
        files.put("fastlib/_core.py", "VALUE = 'native-ish'\n"); // imported like an extension would be
        files.put("fastlib/_speedups.cpython-311-x86_64-linux-gnu.so", "\u007fELF");
        files.put("fastlib-1.0.data/scripts/fast-tool", "#!python\nimport fastlib\nprint(fastlib.VALUE)\n");
        files.put("fastlib-1.0.data/headers/fast.h", "int f(void);\n");
        files.put("fastlib-1.0.data/data/share/fastlib/README", "data\n");
        files.put("fastlib-1.0.dist-info/entry_points.txt", "[console_scripts]\nfast-cli = fastlib.cli:main\n");
        files.put("fastlib/cli.py", "def main():\n    print('cli ok')\n    return 0\n");
        Path p = dir.resolve("fastlib-1.0-cp311-cp311-manylinux_2_17_x86_64.whl");
        Files.write(p, TestWheels.build(new TestWheels.Spec("fastlib", "1.0", "cp311-cp311-manylinux_2_17_x86_64",
                List.of(), null, files)));
        return p;
    }

    // Java's own gzip reader (what Hadoop uses where it does not run tar) reads the series of gzip members.
    private static Map<String, TarArchiveEntry> entries(Path tgz) throws Exception {
        Map<String, TarArchiveEntry> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new java.util.zip.GZIPInputStream(
                Files.newInputStream(tgz)))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), e);
            }
        }
        return out;
    }

    // Unpacked by GNU tar, as Hadoop and YARN unpack archives on Linux (gzip -dc | tar -xf).
    private static void untar(Path tgz, Path dest) throws Exception {
        Files.createDirectories(dest);
        assertEquals("0:", run(dest, "tar", "xzf", tgz.toAbsolutePath().toString()));
    }

    private static String run(Path cwd, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() + ":" + out;
    }

    @Test
    void build_laysOutAVirtualEnvironmentWithNormalisedHeaders() throws Exception {
        Path tgz = EnvironmentArchiveBuilder.build(new EnvironmentArchiveBuilder.Request(
                List.of(nativeWheel(), wheel("six", "1.16.0")), PY311, EnvironmentArchiveBuilder.Format.TAR_GZ,
                dir.resolve("out/app-pyenv.tar.gz"), T, WheelChecks.defaults()));
        Map<String, TarArchiveEntry> e = entries(tgz);
        for (String name : List.of("bin/python", "bin/fast-tool", "bin/fast-cli",
                "lib/python3.11/site-packages/fastlib/_speedups.cpython-311-x86_64-linux-gnu.so",
                "lib/python3.11/site-packages/fastlib-1.0.dist-info/METADATA",
                "lib/python3.11/site-packages/six/__init__.py", "include/site/python3.11/fastlib/fast.h",
                "share/fastlib/README")) {
            assertTrue(e.containsKey(name), name + " in " + e.keySet());
        }
        assertEquals(List.copyOf(e.keySet()).stream().sorted().toList(), List.copyOf(e.keySet()), "sorted");
        for (TarArchiveEntry x : e.values()) {
            assertEquals(0, x.getLongUserId());
            assertEquals("", x.getUserName());
            assertEquals(T.toEpochMilli(), x.getModTime().getTime(), x.getName());
        }
        assertEquals(0755, e.get("bin/python").getMode(), "ustar mode field: permission bits, as GNU tar writes");
        assertTrue(e.get("bin/python").isFile());
        assertEquals(0644, e.get("lib/python3.11/site-packages/six/__init__.py").getMode());
        assertTrue(e.get("lib/python3.11/").isDirectory());
        assertEquals(0755, e.get("lib/python3.11/").getMode());
        assertFalse(e.keySet().stream().anyMatch(n -> n.contains(".data/")));
    }

    private Path wheel(String name, String version) throws Exception {
        Path p = dir.resolve(name + "-" + version + "-py3-none-any.whl");
        Files.write(p, TestWheels.build(TestWheels.pure(name, version)));
        return p;
    }

    @Test
    void build_isByteIdenticalAcrossBuildsInBothFormats() throws Exception {
        for (EnvironmentArchiveBuilder.Format f : EnvironmentArchiveBuilder.Format.values()) {
            Path a = EnvironmentArchiveBuilder.build(new EnvironmentArchiveBuilder.Request(
                    List.of(nativeWheel()), PY311, f, dir.resolve("a/env." + f), T, WheelChecks.defaults()));
            Path b = EnvironmentArchiveBuilder.build(new EnvironmentArchiveBuilder.Request(
                    List.of(nativeWheel()), PY311, f, dir.resolve("b/env." + f), T, WheelChecks.defaults()));
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), f.toString());
        }
        byte[] gz = Files.readAllBytes(dir.resolve("a/env.TAR_GZ"));
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0}, java.util.Arrays.copyOf(gz, 8),
                "gzip header: no name, time zero");
        assertEquals((byte) 255, gz[9], "gzip OS byte: unknown");
    }

    @Test
    void unpackedEnvironment_runsItsPackagesScriptsAndEntryPointsFromAnyDirectory() throws Exception {
        Path tgz = EnvironmentArchiveBuilder.build(new EnvironmentArchiveBuilder.Request(
                List.of(nativeWheel()), PY311, EnvironmentArchiveBuilder.Format.TAR_GZ, dir.resolve("env.tar.gz"), T,
                WheelChecks.defaults()));
        Path unpacked = dir.resolve("somewhere/else/environment");
        untar(tgz, unpacked);
        org.junit.jupiter.api.Assumptions.assumeTrue(run(dir, "python3", "-c",
                "import sys; assert sys.version_info[:2] == (3, 11)").startsWith("0:"),
                "Skipped: python3 here is not 3.11, the version this test's archive is built for");
        assertEquals("0:native-ish\n", run(dir, unpacked.resolve("bin/python").toString(), "-c",
                "import fastlib; print(fastlib.VALUE)"));
        assertEquals("0:native-ish\n", run(dir, unpacked.resolve("bin/fast-tool").toString()));
        assertEquals("0:cli ok\n", run(dir, unpacked.resolve("bin/fast-cli").toString()));
    }

    @Test
    void launcher_refusesAPythonOfAnotherVersionWithAClearMessage() throws Exception {
        Path tgz = EnvironmentArchiveBuilder.build(new EnvironmentArchiveBuilder.Request(
                List.of(wheel("six", "1.16.0")), new EnvironmentArchiveBuilder.Interpreter(3, 7, "python3"),
                EnvironmentArchiveBuilder.Format.TAR_GZ, dir.resolve("env.tar.gz"), T, WheelChecks.defaults()));
        untar(tgz, dir.resolve("env"));
        String out = run(dir, dir.resolve("env/bin/python").toString(), "-c", "print(1)");
        assertTrue(out.startsWith("1:pybundle: this environment was built for Python 3.7, but 'python3' is Python"
                + " 3."), out);
        // Every way out, named as the user configures it.
        assertTrue(out.contains("\npybundle:  - set PYBUNDLE_PYTHON to the nodes' Python 3.7 command when running"
                + " spark-submit.sh (it passes it to the executors; with another launcher, set"
                + " spark.executorEnv.PYBUNDLE_PYTHON and spark.yarn.appMasterEnv.PYBUNDLE_PYTHON)\n"), out);
        assertTrue(out.contains("\npybundle:  - rebuild with <target><interpreter> naming that command\n"), out);
        assertTrue(out.contains("\npybundle:  - rebuild with <target><pythonArchive> to ship a Python 3.7 in the"
                + " bundle, so the nodes need none\n"), out);
        assertTrue(out.matches("(?s).*\npybundle:  - rebuild for Python 3\\.\\d+ \\(<target><pythonVersion>\\)\n"),
                out);
        // A command that does not run at all.
        String missing = run(dir, "env", "PYBUNDLE_PYTHON=/nonexistent/python3.7", dir.resolve("env/bin/python")
                .toString(), "-c", "print(1)");
        assertEquals("127:pybundle: cannot run '/nonexistent/python3.7' (set PYBUNDLE_PYTHON to the nodes' Python 3.7"
                + " command, or ship one with <target><pythonArchive>)\n", missing);
    }

    @Test
    void shippedInterpreter_goesUnderPythonWithItsLinksAndBinPythonRunsIt() throws Exception {
        Path archive = io.github.pybundle.testing.TestPythonArchives.installOnly("3.8.20")
                .writeTo(dir.resolve("cpython.tar.gz"));
        io.github.pybundle.core.target.PythonArchive.Shipped shipped = io.github.pybundle.core.target.PythonArchive
                .inspect(archive, "cpython.tar.gz", io.github.pybundle.core.target.Target.of(
                        new io.github.pybundle.core.target.Target.Spec("3.8", null, null, List.of(), List.of(),
                                Map.of())), 1L << 30);
        Path tgz = EnvironmentArchiveBuilder.build(new EnvironmentArchiveBuilder.Request(List.of(wheel("six",
                "1.16.0")), new EnvironmentArchiveBuilder.Interpreter(3, 8, "python3"),
                EnvironmentArchiveBuilder.Format.TAR_GZ, dir.resolve("out/env.tar.gz"), T, WheelChecks.defaults(),
                shipped));
        Map<String, TarArchiveEntry> e = entries(tgz);
        assertTrue(e.get("python/bin/python3").isSymbolicLink());
        assertEquals("python3.8", e.get("python/bin/python3").getLinkName());
        assertEquals(0755, e.get("python/bin/python3.8").getMode() & 07777);
        assertEquals(0644, e.get("python/lib/python3.8/os.py").getMode() & 07777);
        assertTrue(e.containsKey("lib/python3.8/site-packages/six/__init__.py"), e.keySet().toString());

        // Unpacked anywhere, bin/python runs the shipped binary (here a copy of /bin/sh) with the packages first, and
        // an inherited PYTHONHOME (the node's own Python's) does not reach it.
        Path unpacked = dir.resolve("elsewhere/environment");
        untar(tgz, unpacked);
        String out = run(dir, "env", "PYTHONHOME=/usr", "PYTHONPATH=/spark/python", unpacked.resolve("bin/python")
                .toString(), "-c", "echo \"$0|$PYTHONPATH|${PYTHONHOME:-unset}\"");
        assertEquals("0:" + unpacked.toRealPath().resolve("python/bin/python3.8") + "|" + unpacked.toRealPath()
                .resolve("lib/python3.8/site-packages") + ":/spark/python|unset\n", out);

        // Reproducible like the rest.
        Path again = EnvironmentArchiveBuilder.build(new EnvironmentArchiveBuilder.Request(List.of(wheel("six",
                "1.16.0")), new EnvironmentArchiveBuilder.Interpreter(3, 8, "python3"),
                EnvironmentArchiveBuilder.Format.TAR_GZ, dir.resolve("again/env.tar.gz"), T, WheelChecks.defaults(),
                shipped));
        assertArrayEquals(Files.readAllBytes(tgz), Files.readAllBytes(again));

        // A zip keeps no links: refused, saying what to do.
        io.github.pybundle.core.InvalidConfigurationException zip = assertThrows(
                io.github.pybundle.core.InvalidConfigurationException.class, () -> new EnvironmentArchiveBuilder
                        .Request(List.of(), new EnvironmentArchiveBuilder.Interpreter(3, 8, "python3"),
                        EnvironmentArchiveBuilder.Format.ZIP, dir.resolve("z.zip"), T, WheelChecks.defaults(),
                        shipped));
        assertTrue(zip.getMessage().startsWith("{@archiveFormat=zip} cannot carry the interpreter of"
                + " {@target.pythonArchive}"), zip.getMessage());
    }

    @Test
    void build_discardsEverythingWhenAFileDoesNotMatchItsRecord() throws Exception {
        Path w = wheel("six", "1.16.0");
        Path tampered = dir.resolve("tampered/six-1.16.0-py3-none-any.whl");
        Files.createDirectories(tampered.getParent());
        rewrite(w, tampered, "six/__init__.py", "import os; os.system('evil')\n");
        UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> EnvironmentArchiveBuilder.build(
                new EnvironmentArchiveBuilder.Request(List.of(tampered), PY311, EnvironmentArchiveBuilder.Format.TAR_GZ,
                        dir.resolve("out/env.tar.gz"), T, WheelChecks.defaults())));
        assertTrue(e.getMessage().startsWith("six-1.16.0-py3-none-any.whl: entry 'six/__init__.py' does not match"
                + " its RECORD hash"), e.getMessage());
        assertNothingIn(dir.resolve("out"));
    }

    // No archive and no temporary file left (the wheels are checked before the output directory is even made).
    private static void assertNothingIn(Path out) throws Exception {
        if (Files.exists(out)) {
            try (var s = Files.list(out)) {
                assertEquals(List.of(), s.toList(), "no archive and no temporary file left");
            }
        }
    }

    private Path namespaceWheel(String name, String initContent) throws Exception {
        TestWheels.Spec spec = new TestWheels.Spec(name, "1.0", "py3-none-any", List.of(), null, Map.of(
                "nvidia/__init__.py", initContent, "nvidia/" + name.replace('-', '_') + "/__init__.py", "X = 1\n"));
        Path p = Files.createDirectories(dir.resolve("ns")).resolve(spec.filename());
        Files.write(p, TestWheels.build(spec));
        return p;
    }

    @Test
    void build_keepsOneCopyOfAFileThatSeveralWheelsShipIdentically() throws Exception {
        // Every nvidia-* wheel ships the same empty nvidia/__init__.py; installing them all is installing one.
        Path tgz = EnvironmentArchiveBuilder.build(new EnvironmentArchiveBuilder.Request(
                List.of(namespaceWheel("nv-cublas", ""), namespaceWheel("nv-cudnn", "")), PY311,
                EnvironmentArchiveBuilder.Format.TAR_GZ, dir.resolve("out/env.tar.gz"), T, WheelChecks.defaults()));
        Map<String, TarArchiveEntry> e = entries(tgz);
        assertTrue(e.containsKey("lib/python3.11/site-packages/nvidia/__init__.py"));
        assertTrue(e.containsKey("lib/python3.11/site-packages/nvidia/nv_cublas/__init__.py"));
        assertTrue(e.containsKey("lib/python3.11/site-packages/nvidia/nv_cudnn/__init__.py"));

        UnsafeWheelException different = assertThrows(UnsafeWheelException.class, () -> EnvironmentArchiveBuilder
                .build(new EnvironmentArchiveBuilder.Request(List.of(namespaceWheel("nv-a", ""),
                        namespaceWheel("nv-b", "import os\n")), PY311, EnvironmentArchiveBuilder.Format.TAR_GZ,
                        dir.resolve("out2/env.tar.gz"), T, WheelChecks.defaults())));
        assertEquals("nv_b-1.0-py3-none-any.whl: 'lib/python3.11/site-packages/nvidia/__init__.py' is also provided"
                + " by nv_a-1.0-py3-none-any.whl", different.getMessage());
        assertTrue(different.hints().get(0).startsWith("two packages ship different files at the same path"));
    }

    /** Copies a wheel, replacing one entry's content (RECORD unchanged). */
    static void rewrite(Path from, Path to, String entry, String content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(from.toFile());
             java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(in.entries())) {
                z.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                try (InputStream is = in.getInputStream(e)) {
                    z.write(e.getName().equals(entry) ? content.getBytes(StandardCharsets.UTF_8) : is.readAllBytes());
                }
                z.closeEntry();
            }
        }
        Files.write(to, out.toByteArray());
    }
}

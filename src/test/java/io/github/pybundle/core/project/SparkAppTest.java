package io.github.pybundle.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.TestWheels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application directory ({@code target/pybundle}) holds everything the launch needs, and
 * {@code {finalName}-spark-app.tar.gz} is that directory under {@code {finalName}/}: unpacked anywhere, its launcher
 * runs.
 */
class SparkAppTest {
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private Path pure;
    private Path nat;
    private Path jar;
    private Path data;

    private void inputs() throws IOException {
        if (pure != null) {
            return;
        }
        pure = Files.write(dir.resolve("six-1.16.0-py3-none-any.whl"), TestWheels.build(TestWheels.pure("six",
                "1.16.0")));
        nat = Files.write(dir.resolve("fast-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"), TestWheels.build(
                new TestWheels.Spec("fast", "1.0", "cp311-cp311-manylinux_2_17_x86_64", List.of(), null,
                        Map.of("fast/_c.cpython-311-x86_64-linux-gnu.so", "ELF"))));
        jar = Files.write(Files.createDirectories(dir.resolve("m2")).resolve("app-1.0.jar"), new byte[] {'P', 'K', 5});
        data = Files.writeString(Files.createDirectories(dir.resolve("data")).resolve("lookup.csv"), "a,b\n");
    }

    private ProjectPackager.BundleResult bundle(Path out, String remoteDir) throws Exception {
        inputs();
        Path src = SourceTrees.sample(dir.resolve("p"));
        return new ProjectPackager(BuildListener.silent()).bundle(new ProjectPackager.BundleRequest(src,
                src.resolve("main.py"), "app", out, "app-1.0", T, List.of(pure, nat), ProjectPackager.Layout.AUTO,
                new ProjectPackager.EnvironmentSpec(3, 11, "python3", EnvironmentArchiveBuilder.Format.TAR_GZ),
                new ProjectPackager.SparkSpec(null, null, null, List.of(data.toString()), null, remoteDir, null, null,
                        List.of(jar.toString()))));
    }

    // name → mode, in archive order
    private static Map<String, String> entries(Path tgz) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(tgz)))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                assertEquals(T.getEpochSecond(), e.getModTime().toInstant().getEpochSecond(), e.getName());
                assertEquals(0, e.getLongUserId(), e.getName());
                assertEquals(0, e.getLongGroupId(), e.getName());
                out.put(e.getName(), Integer.toOctalString(e.getMode()));
            }
        }
        return out;
    }

    @Test
    void sparkApp_holdsTheApplicationDirectoryUnderTheFinalNameWithoutBuildState() throws Exception {
        Path out = dir.resolve("target");
        // What the build keeps in the application directory for itself stays out of the archive.
        SourceTrees.write(out.resolve("pybundle"), "bundle.inputs.sha256", "00\n");
        SourceTrees.write(out.resolve("pybundle"), "maven-wheels/x-1.0-py3-none-any.whl", "PK");
        SourceTrees.write(out.resolve("pybundle"), "verify/cache/x", "x");
        ProjectPackager.BundleResult r = bundle(out, null);
        assertEquals(out.resolve("app-1.0-spark-app.tar.gz"), r.sparkApp());
        assertEquals(new ArrayList<>(List.of("app-1.0/|755", "app-1.0/app-1.0-pyenv.tar.gz|644",
                "app-1.0/app-1.0-pyfiles.zip|644", "app-1.0/files/|755", "app-1.0/files/lookup.csv|644",
                "app-1.0/jars/|755", "app-1.0/jars/app-1.0.jar|644", "app-1.0/launch.json|644", "app-1.0/main.py|644",
                "app-1.0/probe.py|644", "app-1.0/spark-submit.sh|755")), entries(r.sparkApp()).entrySet().stream().map(e -> e.getKey() + "|"
                + e.getValue()).toList());
        // The archives in the application directory are the outputs themselves (linked, not built twice).
        assertEquals(-1L, Files.mismatch(r.pyFilesZip(), out.resolve("pybundle/app-1.0-pyfiles.zip")));
        assertEquals(-1L, Files.mismatch(r.environmentArchive(), out.resolve("pybundle/app-1.0-pyenv.tar.gz")));
        JsonNode launch = new ObjectMapper().readTree(out.resolve("pybundle/launch.json").toFile());
        assertEquals("[\"app-1.0-pyfiles.zip\"]", launch.get("pyFiles").toString());
        assertEquals("[\"app-1.0-pyenv.tar.gz#environment\"]", launch.get("archives").toString());
        assertEquals("main.py", launch.get("main").asText());
    }

    @Test
    void sparkApp_isByteIdenticalAcrossBuildsInOtherDirectories() throws Exception {
        Path a = bundle(dir.resolve("one/target"), null).sparkApp();
        Path b = bundle(dir.resolve("two/target"), null).sparkApp();
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        Files.delete(b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(bundle(dir.resolve("two/target"), null)
                .sparkApp()), "a rebuild over the last build's outputs too");
    }

    @Test
    void sparkApp_unpackedAnywhere_runsItsLauncherWithPathsInsideTheUnpackedDirectory() throws Exception {
        assumeTrue(new ProcessBuilder("tar", "--version").start().waitFor() == 0, "Skipped: no tar on PATH");
        Path app = bundle(dir.resolve("target"), null).sparkApp();
        Path elsewhere = Files.createDirectories(dir.resolve("edge node/apps"));
        assertEquals(0, new ProcessBuilder("tar", "xzf", app.toString()).directory(elsewhere.toFile()).inheritIO()
                .start().waitFor());
        deleteRecursively(dir.resolve("target")); // nothing of the build is left to lean on
        Path unpacked = elsewhere.resolve("app-1.0");
        assertTrue(Files.isExecutable(unpacked.resolve("spark-submit.sh")));
        Path home = dir.resolve("spark");
        Path fake = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder(unpacked.resolve("spark-submit.sh").toString(), "--day", "1")
                .directory(dir.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("PYBUNDLE_CACHE", dir.resolve("cache").toString());
        Process p = pb.start();
        List<String> args = List.of(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        String u = unpacked.toString();
        assertEquals(unpacked + "/jars/app-1.0.jar", args.get(args.indexOf("--jars") + 1));
        assertEquals(unpacked + "/app-1.0-pyfiles.zip", args.get(args.indexOf("--py-files") + 1));
        assertEquals(unpacked + "/app-1.0-pyenv.tar.gz#environment", args.get(args.indexOf("--archives") + 1));
        assertEquals(unpacked + "/files/lookup.csv", args.get(args.indexOf("--files") + 1));
        assertEquals(List.of(u + "/main.py", "--day", "1"), args.subList(args.size() - 3, args.size()));
        for (String a : args) {
            String path = a.replaceFirst("#environment$", "");
            if (path.startsWith("/") && !path.contains("cache/environments")) {
                assertTrue(path.startsWith(u + "/") && Files.exists(Path.of(path)), "outside the unpacked copy or"
                        + " missing: " + a);
            }
        }
        // Beside it, the launcher's mark that it was in use (<sha256>.inuse.<host>.<pid>).
        java.io.File[] unpackedEnvs = dir.resolve("cache/environments").toFile().listFiles(java.io.File::isDirectory);
        assertEquals(1, unpackedEnvs.length);
        assertTrue(Files.isExecutable(unpackedEnvs[0].toPath().resolve("bin/python")), "the driver's copy of the"
                + " environment comes from the unpacked archive");
    }

    @Test
    void sparkApp_forARemoteDirectoryHoldsTheDescriptorsAndALocalRebuildDropsThem() throws Exception {
        Path out = dir.resolve("target");
        Path app = bundle(out, "hdfs:///apps/app/1.0").sparkApp();
        Map<String, String> remote = entries(app);
        for (String d : List.of("livy-batch.json", "spark-application.yaml", "emr-serverless-job.json",
                "dataproc-batch.json")) {
            assertTrue(remote.containsKey("app-1.0/" + d), d + " in " + remote.keySet());
        }
        bundle(out, null);
        for (String d : List.of("livy-batch.json", "spark-application.yaml", "emr-serverless-job.json",
                "dataproc-batch.json")) {
            assertFalse(entries(app).containsKey("app-1.0/" + d), d);
            assertFalse(Files.exists(out.resolve("pybundle/" + d)), "no stale " + d + " is attached");
        }
    }

    @Test
    void sparkApp_holdsTheProbeWhetherOrNotTheProbeGoalRanBefore() throws Exception {
        Path a = bundle(dir.resolve("one/target"), null).sparkApp();
        io.github.pybundle.core.probe.ClusterProbe.write(dir.resolve("two/target/pybundle/probe.py"));
        Path b = bundle(dir.resolve("two/target"), null).sparkApp();
        assertTrue(entries(a).containsKey("app-1.0/probe.py"));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void aRebuildWithoutNativePackages_leavesNoEnvironmentInTheApplication() throws Exception {
        Path out = dir.resolve("target");
        bundle(out, null);
        Path src = SourceTrees.sample(dir.resolve("p"));
        ProjectPackager.BundleResult r = new ProjectPackager(BuildListener.silent()).bundle(
                new ProjectPackager.BundleRequest(src, src.resolve("main.py"), "app", out, "app-1.0", T, List.of(pure),
                        ProjectPackager.Layout.AUTO, null));
        assertFalse(Files.exists(out.resolve("pybundle/app-1.0-pyenv.tar.gz")));
        assertFalse(entries(r.sparkApp()).containsKey("app-1.0/app-1.0-pyenv.tar.gz"));
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

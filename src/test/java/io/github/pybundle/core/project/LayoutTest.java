package io.github.pybundle.core.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.TestWheels;
import io.github.pybundle.testing.ZipContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where dependency wheels go for each {@code <layout>}. */
class LayoutTest {
    @TempDir
    Path dir;

    private ProjectPackager.BundleResult bundle(ProjectPackager.Layout layout) throws Exception {
        Path src = SourceTrees.sample(dir.resolve("p"));
        Path pure = dir.resolve("six-1.16.0-py3-none-any.whl");
        Files.write(pure, TestWheels.build(TestWheels.pure("six", "1.16.0")));
        Path nat = dir.resolve("fast-1.0-cp311-cp311-manylinux_2_17_x86_64.whl");
        Files.write(nat, TestWheels.build(new TestWheels.Spec("fast", "1.0", "cp311-cp311-manylinux_2_17_x86_64",
                List.of(), null, Map.of("fast/_c.cpython-311-x86_64-linux-gnu.so", "ELF"))));
        return new ProjectPackager(BuildListener.silent()).bundle(new ProjectPackager.BundleRequest(src,
                src.resolve("main.py"), "app", dir.resolve("out-" + layout), "app", Instant.parse(
                "2024-01-01T00:00:00Z"), List.of(pure, nat), layout, new ProjectPackager.EnvironmentSpec(3, 11,
                "python3", EnvironmentArchiveBuilder.Format.ZIP)));
    }

    @Test
    void auto_putsPureWheelsInTheZipAndNativeOnesInTheArchive() throws Exception {
        ProjectPackager.BundleResult r = bundle(ProjectPackager.Layout.AUTO);
        assertTrue(ZipContents.names(r.pyFilesZip()).contains("six/__init__.py"));
        assertTrue(ZipContents.names(r.environmentArchive()).contains(
                "lib/python3.11/site-packages/fast/_c.cpython-311-x86_64-linux-gnu.so"));
        assertEquals(List.of("py-files zip", "environment archive"), r.placements().stream()
                .map(ProjectPackager.Placement::placedIn).toList());
    }

    @Test
    void environment_putsEveryDependencyInTheArchiveAndKeepsTheProjectInTheZip() throws Exception {
        ProjectPackager.BundleResult r = bundle(ProjectPackager.Layout.ENVIRONMENT);
        List<String> env = ZipContents.names(r.environmentArchive());
        assertTrue(env.contains("lib/python3.11/site-packages/six/__init__.py"));
        List<String> zip = ZipContents.names(r.pyFilesZip());
        assertTrue(zip.contains("app/__init__.py") && zip.stream().noneMatch(n -> n.startsWith("six")), zip.toString());
    }

    @Test
    void pyfiles_refusesNativeWheelsByName() {
        PyBundleException e = assertThrows(PyBundleException.class, () -> bundle(ProjectPackager.Layout.PYFILES));
        assertTrue(e.getMessage().contains("fast-1.0-cp311-cp311-manylinux_2_17_x86_64.whl (fast/_c.cpython-311"
                + "-x86_64-linux-gnu.so)"), e.getMessage());
    }

    @Test
    void noDependencies_meansNoEnvironmentArchive() throws Exception {
        Path src = SourceTrees.sample(dir.resolve("q"));
        ProjectPackager.BundleResult r = new ProjectPackager(BuildListener.silent()).bundle(
                new ProjectPackager.BundleRequest(src, src.resolve("main.py"), "app", dir.resolve("out"), "app",
                        Instant.parse("2024-01-01T00:00:00Z"), List.of(), ProjectPackager.Layout.AUTO, null));
        assertNull(r.environmentArchive());
    }

    @Test
    void everyOutputHasTheUsualModeWhateverTheTemporaryFileDefaults() throws Exception {
        ProjectPackager.BundleResult r = bundle(ProjectPackager.Layout.AUTO);
        for (Path p : List.of(r.pyFilesZip(), r.environmentArchive(), r.mainScript(), r.launcher().resolveSibling(
                "launch.json"))) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(r.launcher())));
    }

    @Test
    void aFailedEnvironmentArchiveLeavesNoOutputBehind() throws Exception {
        Path src = SourceTrees.sample(dir.resolve("p"));
        Path pure = dir.resolve("six-1.16.0-py3-none-any.whl");
        Files.write(pure, TestWheels.build(TestWheels.pure("six", "1.16.0")));
        // Two native wheels whose files differ only in case: refused by the environment archive, after the zip.
        Path upper = dir.resolve("fast-1.0-cp311-cp311-manylinux_2_17_x86_64.whl");
        Files.write(upper, TestWheels.build(new TestWheels.Spec("fast", "1.0", "cp311-cp311-manylinux_2_17_x86_64",
                List.of(), null, Map.of("Shared/_c.cpython-311-x86_64-linux-gnu.so", "ELF"))));
        Path lower = dir.resolve("slow-1.0-cp311-cp311-manylinux_2_17_x86_64.whl");
        Files.write(lower, TestWheels.build(new TestWheels.Spec("slow", "1.0", "cp311-cp311-manylinux_2_17_x86_64",
                List.of(), null, Map.of("shared/_c.cpython-311-x86_64-linux-gnu.so", "ELF2"))));
        Path out = dir.resolve("out");
        PyBundleException e = assertThrows(PyBundleException.class, () -> new ProjectPackager(BuildListener.silent()).bundle(
                new ProjectPackager.BundleRequest(src, src.resolve("main.py"), "app", out, "app",
                        Instant.parse("2024-01-01T00:00:00Z"), List.of(pure, upper, lower), ProjectPackager.Layout.AUTO,
                        new ProjectPackager.EnvironmentSpec(3, 11, "python3", EnvironmentArchiveBuilder.Format.TAR_GZ))));
        assertTrue(e.getMessage().contains("only in case"), e.getMessage());
        try (java.util.stream.Stream<Path> left = Files.walk(out)) {
            assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "no output, no temporary file");
        }
    }

    private ProjectPackager.BundleResult bundleWithJars(List<String> jars) throws Exception {
        Path src = SourceTrees.sample(dir.resolve("j"));
        return new ProjectPackager(BuildListener.silent()).bundle(new ProjectPackager.BundleRequest(src,
                src.resolve("main.py"), "app", dir.resolve("out-jars"), "app", Instant.parse("2024-01-01T00:00:00Z"),
                List.of(), ProjectPackager.Layout.AUTO, null, new ProjectPackager.SparkSpec(null, null, null, null,
                null, null, null, null, jars)));
    }

    @Test
    void jars_areCopiedBesideTheLauncherAndNamedRelatively() throws Exception {
        Path app = Files.write(dir.resolve("app-1.0.jar"), new byte[] {1, 2, 3});
        Path dep = Files.write(Files.createDirectories(dir.resolve("m2/dep")).resolve("dep-2.0.jar"), new byte[] {4});
        ProjectPackager.BundleResult r = bundleWithJars(List.of(app.toString(), dep.toString()));
        Path jars = r.launcher().resolveSibling("jars");
        assertEquals(List.of("app-1.0.jar", "dep-2.0.jar"), Files.list(jars).map(p -> p.getFileName().toString())
                .sorted().toList());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(jars.resolve(
                "app-1.0.jar"))));
        assertEquals("[\"jars/app-1.0.jar\",\"jars/dep-2.0.jar\"]", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(r.launcher().resolveSibling("launch.json").toFile()).get("jars").toString());
        // A second build without the dependency leaves no stale copy behind.
        bundleWithJars(List.of(app.toString()));
        assertEquals(List.of("app-1.0.jar"), Files.list(jars).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void jars_ofOneNameOrMissingAreRefusedByName() throws Exception {
        Path a = Files.write(Files.createDirectories(dir.resolve("a")).resolve("util-1.0.jar"), new byte[] {1});
        Path b = Files.write(Files.createDirectories(dir.resolve("b")).resolve("util-1.0.jar"), new byte[] {2});
        PyBundleException twice = assertThrows(PyBundleException.class, () -> bundleWithJars(List.of(a.toString(),
                b.toString())));
        assertTrue(twice.getMessage().startsWith("two JARs are named util-1.0.jar: " + a + " and " + b),
                twice.getMessage());
        PyBundleException missing = assertThrows(PyBundleException.class, () -> bundleWithJars(List.of(
                dir.resolve("nope.jar").toString())));
        assertTrue(missing.getMessage().contains("the JAR " + dir.resolve("nope.jar") + " does not exist"),
                missing.getMessage());
    }

    @Test
    void extraFiles_areCopiedBesideTheLauncherSoTheLaunchNamesThemRelatively() throws Exception {
        Path data = Files.writeString(Files.createDirectories(dir.resolve("data")).resolve("lookup.csv"), "a,b\n");
        Path src = SourceTrees.sample(dir.resolve("f"));
        ProjectPackager.BundleResult r = new ProjectPackager(BuildListener.silent()).bundle(
                new ProjectPackager.BundleRequest(src, src.resolve("main.py"), "app", dir.resolve("out-files"), "app",
                        Instant.parse("2024-01-01T00:00:00Z"), List.of(), ProjectPackager.Layout.AUTO, null,
                        new ProjectPackager.SparkSpec(null, null, null, List.of(data.toString()), null, null, null,
                                null)));
        assertEquals("a,b\n", Files.readString(r.launcher().resolveSibling("files/lookup.csv")));
        assertEquals("[\"files/lookup.csv\"]", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(r.launcher().resolveSibling("launch.json").toFile()).get("files").toString());
        assertTrue(Files.readString(r.launcher()).contains("--files \"$here/files/lookup.csv\""));
    }
}

package io.github.pybundle.core.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.source.PythonSourceTree;
import io.github.pybundle.core.wheel.UnsafeWheelException;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.TestWheels;
import io.github.pybundle.testing.ZipContents;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PyFilesWithWheelsTest {
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private Path wheel(TestWheels.Spec spec) throws Exception {
        Path p = dir.resolve(spec.filename());
        Files.write(p, TestWheels.build(spec));
        return p;
    }

    /** A wheel whose entry names are written verbatim (java.util.zip keeps backslashes), for hostile cases. */
    private Path hostile(String filename, String name) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
            for (String n : List.of(name, "evil-1.0.dist-info/WHEEL")) {
                z.putNextEntry(new java.util.zip.ZipEntry(n));
                z.write((n.endsWith("WHEEL") ? "Wheel-Version: 1.0\nRoot-Is-Purelib: true\n" : "x")
                        .getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        Path p = dir.resolve(filename);
        Files.write(p, out.toByteArray());
        return p;
    }

    /** A wheel with entries of given unix modes (a symlink), written with commons-compress. */
    private Path hostile(String filename, Map<String, Integer> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(out)) {
            for (Map.Entry<String, Integer> e : entries.entrySet()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.getKey());
                entry.setUnixMode(e.getValue());
                z.putArchiveEntry(entry);
                z.write("x".getBytes(StandardCharsets.UTF_8));
                z.closeArchiveEntry();
            }
            ZipArchiveEntry wheelFile = new ZipArchiveEntry("evil-1.0.dist-info/WHEEL");
            z.putArchiveEntry(wheelFile);
            z.write("Wheel-Version: 1.0\nRoot-Is-Purelib: true\n".getBytes(StandardCharsets.UTF_8));
            z.closeArchiveEntry();
        }
        Path p = dir.resolve(filename);
        Files.write(p, out.toByteArray());
        return p;
    }

    private PythonSourceTree project() throws Exception {
        Path src = SourceTrees.sample(dir.resolve("project"));
        return PythonSourceTree.scan(src, src.resolve("main.py"));
    }

    @Test
    void build_addsPureWheelsWithDistInfoAndMapsDataPurelib() throws Exception {
        Path six = wheel(new TestWheels.Spec("six", "1.16.0", "py2.py3-none-any", List.of(), null,
                Map.of("six.py", "X = 1\n", "six-1.16.0.data/purelib/extra_mod.py", "Y = 2\n",
                        "six-1.16.0.data/scripts/tool", "#!/bin/sh\n")));
        Path zip = PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(
                project(), List.of(six), dir.resolve("out/app-pyfiles.zip"), T, WheelChecks.defaults()));
        List<String> names = ZipContents.names(zip);
        assertTrue(names.containsAll(List.of("app/__init__.py", "six.py", "extra_mod.py",
                "six-1.16.0.dist-info/METADATA", "six-1.16.0.dist-info/RECORD")), names.toString());
        assertFalse(names.stream().anyMatch(n -> n.contains(".data/") || n.endsWith("tool")), names.toString());
        assertEquals(names.stream().sorted().toList(), names, "entries sorted");
    }

    @Test
    void build_copiesTheCompressedBytesAsTheyAre() throws Exception {
        Path six = wheel(new TestWheels.Spec("six", "1.16.0", "py3-none-any", List.of(), null,
                Map.of("six.py", "import sys\n".repeat(200))));
        Path zip = PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(
                project(), List.of(six), dir.resolve("out/app-pyfiles.zip"), T, WheelChecks.defaults()));
        try (ZipFile in = ZipFile.builder().setPath(six).get(); ZipFile out = ZipFile.builder().setPath(zip).get()) {
            ZipArchiveEntry a = in.getEntry("six.py");
            ZipArchiveEntry b = out.getEntry("six.py");
            assertEquals(a.getCompressedSize(), b.getCompressedSize());
            assertArrayEquals(in.getRawInputStream(a).readAllBytes(), out.getRawInputStream(b).readAllBytes());
            assertEquals(0100644, b.getUnixMode());
        }
        assertArrayEquals(Files.readAllBytes(zip), Files.readAllBytes(PyFilesZipBuilder.build(
                new PyFilesZipBuilder.Request(project(), List.of(six), dir.resolve("again/app-pyfiles.zip"), T,
                        WheelChecks.defaults()))), "reproducible");
    }

    @Test
    void build_refusesCompiledCodeNamingThePackageAndTheFile() throws Exception {
        Path numpy = wheel(new TestWheels.Spec("numpy", "1.24.4", "cp38-cp38-manylinux2014_x86_64", List.of(), null,
                Map.of("numpy/__init__.py", "", "numpy/core/_multiarray_umath.cpython-38-x86_64-linux-gnu.so", "ELF")));
        PyBundleException e = assertThrows(PyBundleException.class, () -> PyFilesZipBuilder.build(
                new PyFilesZipBuilder.Request(project(), List.of(numpy), dir.resolve("out/app-pyfiles.zip"), T,
                        WheelChecks.defaults())));
        assertTrue(e.getMessage().contains("numpy-1.24.4-cp38-cp38-manylinux2014_x86_64.whl (numpy/core/"
                + "_multiarray_umath.cpython-38-x86_64-linux-gnu.so)"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out/app-pyfiles.zip")), "nothing half-written");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.py", "/etc/evil.py", "pkg\\..\\evil.py", "pkg\\evil.py", "C:/evil.py",
        "pkg/../../evil.py",
        "pkg/./x.py", "pkg//x.py"})
    void build_refusesEntriesThatEscapeTheDestination(String name) throws Exception {
        Path w = hostile("evil-1.0-py3-none-any.whl", name);
        UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> PyFilesZipBuilder.build(
                new PyFilesZipBuilder.Request(project(), List.of(w), dir.resolve("out/app-pyfiles.zip"), T,
                        WheelChecks.defaults())));
        assertTrue(e.getMessage().startsWith("evil-1.0-py3-none-any.whl: entry '" + name + "'"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out/app-pyfiles.zip")));
    }

    @Test
    void build_refusesSymlinkEntriesAndDuplicates() throws Exception {
        Path link = hostile("evil-1.0-py3-none-any.whl", Map.of("evil/link.py", 0120777));
        assertTrue(assertThrows(UnsafeWheelException.class, () -> PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(
                project(), List.of(link), dir.resolve("out/a.zip"), T, WheelChecks.defaults()))).getMessage()
                .contains("is a symbolic link"));
        Path clash = wheel(new TestWheels.Spec("clash", "1.0", "py3-none-any", List.of(), null,
                Map.of("app/__init__.py", "")));
        assertTrue(assertThrows(UnsafeWheelException.class, () -> PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(
                project(), List.of(clash), dir.resolve("out/b.zip"), T, WheelChecks.defaults()))).getMessage()
                .contains("'app/__init__.py' is also provided by the project"));
    }

    @Test
    void build_keepsOneCopyOfANamespaceInitThatWheelsShipIdenticallyAndRefusesDifferentOnes() throws Exception {
        Path a = wheel(new TestWheels.Spec("ns-a", "1.0", "py3-none-any", List.of(), null,
                Map.of("ns/__init__.py", "", "ns/a.py", "A = 1\n")));
        Path b = wheel(new TestWheels.Spec("ns-b", "1.0", "py3-none-any", List.of(), null,
                Map.of("ns/__init__.py", "", "ns/b.py", "B = 2\n")));
        Path zip = PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(
                project(), List.of(a, b), dir.resolve("out/ns.zip"), T, WheelChecks.defaults()));
        List<String> names = ZipContents.names(zip);
        assertEquals(1, names.stream().filter("ns/__init__.py"::equals).count(), names.toString());
        assertTrue(names.containsAll(List.of("ns/a.py", "ns/b.py")), names.toString());

        Path c = wheel(new TestWheels.Spec("ns-c", "1.0", "py3-none-any", List.of(), null,
                Map.of("ns/__init__.py", "import os\n", "ns/c.py", "")));
        UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> PyFilesZipBuilder.build(
                new PyFilesZipBuilder.Request(project(), List.of(a, c), dir.resolve("out/ns2.zip"), T,
                        WheelChecks.defaults())));
        assertEquals("ns_c-1.0-py3-none-any.whl: 'ns/__init__.py' is also provided by ns_a-1.0-py3-none-any.whl",
                e.getMessage());
    }
}

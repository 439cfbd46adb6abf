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
import io.github.pybundle.maven.PomWords;
import io.github.pybundle.testing.CraftedWheel;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.TestWheels;
import io.github.pybundle.testing.ZipContents;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Another module's py-files zip, a dependency of the project, merged into the project's zip. */
class PyFilesZipDependencyTest {
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
    private static final String ARTIFACT = "com.example:common:zip:pyfiles:1.0";

    @TempDir
    Path dir;

    private PythonSourceTree tree(String name, Map<String, String> files) throws Exception {
        Path root = dir.resolve(name);
        for (Map.Entry<String, String> f : files.entrySet()) {
            SourceTrees.write(root, f.getKey(), f.getValue());
        }
        return PythonSourceTree.scan(root, root.resolve("main.py"));
    }

    private PythonSourceTree project() throws Exception {
        return tree("project", Map.of("main.py", "import app\n", "app/__init__.py", "X = 1\n"));
    }

    private Path wheel(TestWheels.Spec spec) throws Exception {
        return Files.write(dir.resolve(spec.filename()), TestWheels.build(spec));
    }

    /** The other module's zip, built by pybundle too: its package, a namespace package, and a pure dependency. */
    private Path common() throws Exception {
        PythonSourceTree sources = tree("common", Map.of("main.py", "", "common/__init__.py", "C = 1\n",
                "common/text.py", "def words(s):\n    return s.split()\n" + "# padding\n".repeat(100),
                "corp/common_ext.py", "E = 1\n"));
        Path six = wheel(TestWheels.pure("six", "1.16.0"));
        return PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(sources, List.of(six),
                dir.resolve("m2/common-1.0-pyfiles.zip"), T, WheelChecks.defaults()));
    }

    private Path build(List<Path> wheels, Map<Path, String> zips, String out) throws Exception {
        List<PyFilesZipBuilder.ZipDependency> deps = zips.entrySet().stream().map(e ->
                new PyFilesZipBuilder.ZipDependency(e.getKey(), e.getValue())).toList();
        return PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(project(), wheels, dir.resolve(out), T,
                WheelChecks.defaults(), deps));
    }

    @Test
    void build_mergesTheZipsEntriesCopyingTheirCompressedBytes() throws Exception {
        Path common = common();
        Path corp = wheel(new TestWheels.Spec("corp-util", "1.0", "py3-none-any", List.of(), null,
                Map.of("corp/util.py", "U = 1\n"))); // shares the namespace package corp with the zip
        Path zip = build(List.of(corp), Map.of(common, ARTIFACT), "out/app-pyfiles.zip");
        List<String> names = ZipContents.names(zip);
        assertTrue(names.containsAll(List.of("app/__init__.py", "common/__init__.py", "common/text.py",
                "corp/common_ext.py", "corp/util.py", "six/__init__.py", "six-1.16.0.dist-info/RECORD")),
                names.toString());
        assertEquals(names.stream().sorted().toList(), names, "one sorted zip");
        try (ZipFile in = ZipFile.builder().setPath(common).get(); ZipFile out = ZipFile.builder().setPath(zip)
                .get()) {
            ZipArchiveEntry a = in.getEntry("common/text.py");
            ZipArchiveEntry b = out.getEntry("common/text.py");
            assertArrayEquals(in.getRawInputStream(a).readAllBytes(), out.getRawInputStream(b).readAllBytes(),
                    "copied as stored, not inflated and deflated again");
            assertEquals(0100644, b.getUnixMode());
        }
        assertArrayEquals(Files.readAllBytes(zip), Files.readAllBytes(build(List.of(corp), Map.of(common,
                ARTIFACT), "again/app-pyfiles.zip")), "reproducible");
    }

    @Test
    void build_refusesATopLevelNameTheZipSharesWithTheProjectAWheelOrAnotherZipNamingBoth() throws Exception {
        Path common = common();
        Path six = wheel(TestWheels.pure("six", "1.16.0"));
        PyBundleException withWheel = assertThrows(PyBundleException.class, () -> build(List.of(six),
                Map.of(common, ARTIFACT), "out/a.zip"));
        assertEquals("six-1.16.0-py3-none-any.whl and " + ARTIFACT + " (common-1.0-pyfiles.zip) both provide the"
                + " top-level module or package 'six'; Python would import one of them and ignore the other",
                withWheel.getMessage());
        assertTrue(PomWords.render(withWheel.hints().get(0)).contains("<excludes>"), withWheel.hints().toString());

        Path other = Files.copy(common, dir.resolve("other-1.0-pyfiles.zip"));
        Map<Path, String> two = new LinkedHashMap<>();
        two.put(common, ARTIFACT);
        two.put(other, "com.example:other:zip:pyfiles:1.0");
        PyBundleException withZip = assertThrows(PyBundleException.class, () -> build(List.of(), two, "out/b.zip"));
        assertTrue(withZip.getMessage().startsWith(ARTIFACT + " (common-1.0-pyfiles.zip) and com.example:other:zip:"
                + "pyfiles:1.0 (other-1.0-pyfiles.zip) both provide the top-level module or package 'common'"),
                withZip.getMessage());

        Path app = PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(tree("clash", Map.of("main.py", "",
                "app.py", "A = 1\n")), List.of(), dir.resolve("m2/app-pyfiles.zip"), T, WheelChecks.defaults()));
        PyBundleException withProject = assertThrows(PyBundleException.class, () -> build(List.of(),
                Map.of(app, "com.example:clash:zip:pyfiles:1.0"), "out/c.zip"));
        assertTrue(withProject.getMessage().startsWith("the project and com.example:clash:zip:pyfiles:1.0"
                + " (app-pyfiles.zip) both provide the top-level module or package 'app'"), withProject.getMessage());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    // ---- a hostile zip is refused by name, and nothing is written ----

    private Path zipWith(Map<String, String> entries, UnaryOperator<byte[]> patch) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) { // keeps any name verbatim
            for (Map.Entry<String, String> e : entries.entrySet()) {
                z.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return Files.write(dir.resolve("evil-1.0-pyfiles.zip"), patch.apply(out.toByteArray()));
    }

    private UnsafeWheelException refused(Path evil) {
        UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> build(List.of(), Map.of(evil,
                "com.example:evil:zip:pyfiles:1.0"), "out/app-pyfiles.zip"));
        assertTrue(e.getMessage().startsWith("com.example:evil:zip:pyfiles:1.0 (evil-1.0-pyfiles.zip): "),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("out/app-pyfiles.zip")), "nothing half-written");
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.py", "/etc/evil.py", "pkg\\..\\evil.py", "C:/evil.py", "pkg/../../evil.py",
        "pkg//x.py", "evil\u0000.py"})
    void attack_entriesThatEscapeOrHideTheirNameAreRefused(String name) throws Exception {
        UnsafeWheelException e = refused(zipWith(Map.of(name, "x = 1\n"), b -> b));
        assertTrue(e.getMessage().contains(": entry '"), e.getMessage());
    }

    @Test
    void attack_linksDuplicatesEncryptionOtherMethodsAndHiddenBytesAreRefused() throws Exception {
        ByteArrayOutputStream link = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(link)) {
            ZipArchiveEntry e = new ZipArchiveEntry("evil/__init__.py");
            e.setUnixMode(0120777);
            z.putArchiveEntry(e);
            z.write("/etc/passwd".getBytes(StandardCharsets.UTF_8));
            z.closeArchiveEntry();
        }
        assertTrue(refused(Files.write(dir.resolve("evil-1.0-pyfiles.zip"), link.toByteArray())).getMessage()
                .contains("is a symbolic link"));

        byte[] one = Files.readAllBytes(zipWith(Map.of("evil/a.py", "A\n", "evil/b.py", "B\n"), b -> b));
        byte[] twice = new String(one, StandardCharsets.ISO_8859_1).replace("evil/b.py", "evil/a.py")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(refused(Files.write(dir.resolve("evil-1.0-pyfiles.zip"), twice)).getMessage()
                .contains("entry 'evil/a.py' appears twice"));

        assertTrue(refused(zipWith(Map.of("evil/a.py", "A\n"), b -> CraftedWheel.flags(b, "evil/a.py", 1)))
                .getMessage().contains("is encrypted"));
        assertTrue(refused(zipWith(Map.of("evil/a.py", "A\n"), b -> CraftedWheel.method(b, "evil/a.py", 12)))
                .getMessage().contains("is compressed with BZIP2"));
        assertTrue(refused(zipWith(Map.of("evil/a.py", "A\n"), b -> {
            byte[] prefixed = new byte[b.length + 4];
            System.arraycopy(b, 0, prefixed, 4, b.length);
            return prefixed;
        })).getMessage().contains("bytes before its first entry"));
    }

    @Test
    void compiledCodeInTheZipIsRefusedByName() throws Exception {
        assertTrue(refused(zipWith(Map.of("evil/_c.cpython-311-x86_64-linux-gnu.so", "ELF"), b -> b)).getMessage()
                .contains("entry 'evil/_c.cpython-311-x86_64-linux-gnu.so' is compiled code, which Python cannot import"
                + " from the py-files zip"));
    }

    @Test
    void attack_contentThatDoesNotMatchItsCrcIsRefusedBeforeTheZipIsCommitted() throws Exception {
        // The low half of the CRC-32 changed in both headers: the structure is sound, the content is not.
        Path evil = zipWith(Map.of("evil/a.py", "print('hello')\n"), b -> CraftedWheel.patchHeaders(b, "evil/a.py",
                14, 16, 0x1234));
        assertTrue(refused(evil).getMessage().contains("entry 'evil/a.py': its content does not match the CRC-32"),
                "the copy is checked although it is not inflated");
    }
}

package io.github.pybundle.core.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.pybundle.core.source.PythonSourceTree;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.ZipContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyFilesZipBuilderTest {
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void build_putsPackagesAndModulesAtTheRootWithDirectoryEntriesSorted() throws Exception {
        Path src = SourceTrees.sample(dir);
        Path zip = PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(
                PythonSourceTree.scan(src, src.resolve("main.py")), List.of(), dir.resolve("out/app-pyfiles.zip"), T,
                WheelChecks.defaults()));
        assertEquals(List.of("app/", "app/__init__.py", "app/data/", "app/data/stop-words.txt", "app/sub/",
                "app/sub/__init__.py", "app/text.py", "helpers.py"), ZipContents.names(zip));
        for (ZipArchiveEntry e : ZipContents.entries(zip)) {
            assertEquals(e.isDirectory() ? 040755 : 0100644, e.getUnixMode(), e.getName());
        }
    }

    @Test
    void build_isReproducibleAndLeavesNoTemporaryFiles() throws Exception {
        Path src = SourceTrees.sample(dir);
        PythonSourceTree tree = PythonSourceTree.scan(src, src.resolve("main.py"));
        Path a = PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(
                tree, List.of(), dir.resolve("a/x-pyfiles.zip"), T, WheelChecks.defaults()));
        Path b = PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(
                tree, List.of(), dir.resolve("b/x-pyfiles.zip"), T, WheelChecks.defaults()));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        try (var files = Files.list(dir.resolve("a"))) {
            assertEquals(List.of("x-pyfiles.zip"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void build_replacesAnEarlierZipWithoutLeftovers() throws Exception {
        Path src = SourceTrees.sample(dir);
        Path target = dir.resolve("out/x-pyfiles.zip");
        PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(
                PythonSourceTree.scan(src, null), List.of(), target, T, WheelChecks.defaults()));
        Files.delete(src.resolve("helpers.py"));
        PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(
                PythonSourceTree.scan(src, null), List.of(), target, T, WheelChecks.defaults()));
        assertFalse(ZipContents.names(target).contains("helpers.py"));
    }

    @Test
    void fileName_isFinalNameWithPyfilesSuffix() {
        assertEquals("app-1.0-pyfiles.zip", PyFilesZipBuilder.fileName("app-1.0"));
    }
}

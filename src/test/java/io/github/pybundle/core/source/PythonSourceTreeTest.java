package io.github.pybundle.core.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.testing.SourceTrees;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PythonSourceTreeTest {
    @TempDir
    Path dir;

    @Test
    void scan_keepsCodeAndDataAndLeavesOutCachesHiddenFilesBackupsAndTheMainScript() throws Exception {
        Path src = SourceTrees.sample(dir);
        PythonSourceTree tree = PythonSourceTree.scan(src, src.resolve("main.py"));
        List<String> paths = tree.files().stream().map(PythonSourceTree.SourceFile::archivePath).toList();
        assertEquals(List.of("app/__init__.py", "app/data/stop-words.txt", "app/sub/__init__.py", "app/text.py",
                "helpers.py"), paths);
        assertEquals(List.of("app/", "app/data/", "app/sub/"), tree.directories());
        assertEquals(List.of("app", "helpers"), tree.topLevelNames());
        assertTrue(tree.hasModules());
    }

    @Test
    void scan_failsNamingTheSettingWhenTheDirectoryIsMissing() {
        Path missing = dir.resolve("nope");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> PythonSourceTree.scan(missing, null));
        assertEquals("pythonSourceDirectory", e.setting());
        assertTrue(e.getMessage().contains(missing.toString() + " does not exist"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"my-pkg/__init__.py", "2fast/__init__.py", "class/__init__.py", "pkg/sub-mod.py",
        "my pkg/x.py", "ok/not-ok/__init__.py"})
    void scan_rejectsNamesPythonCannotImport(String file) throws Exception {
        SourceTrees.write(dir, file, "");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> PythonSourceTree.scan(dir, null));
        assertEquals("pythonSourceDirectory", e.setting());
        assertTrue(e.getMessage().contains("is not a valid Python"), e.getMessage());
        assertTrue(e.hints().get(0).startsWith("rename it to a Python identifier"), e.hints().toString());
    }

    @Test
    void scan_allowsAnyNameForDataOnlyDirectories() throws Exception {
        SourceTrees.write(dir, "pkg/__init__.py", "");
        SourceTrees.write(dir, "pkg/static-files/site.css", "body{}");
        PythonSourceTree tree = PythonSourceTree.scan(dir, null);
        assertEquals(2, tree.files().size());
    }

    @Test
    void scan_acceptsUnicodeIdentifiers() throws Exception {
        SourceTrees.write(dir, "données/__init__.py", "");
        assertEquals(List.of("données"), PythonSourceTree.scan(dir, null).topLevelNames());
    }
}

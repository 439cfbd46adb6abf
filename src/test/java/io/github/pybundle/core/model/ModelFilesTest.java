package io.github.pybundle.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pybundle.core.InvalidConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <models>}: files and directories to the sorted list of files, with clear errors. */
class ModelFilesTest {
    @TempDir
    Path dir;

    private Path file(String path) throws Exception {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, path);
    }

    @Test
    void directoriesExpandRecursivelySortedAndHiddenFilesStayOut() throws Exception {
        Path b = file("models/b.pkl");
        Path a = file("models/sub/a.joblib");
        file("models/.gitkeep");
        file("models/.cache/x.pkl");
        Path c = file("other/c.skops");
        assertEquals(List.of(b, a, c), ModelFiles.expand(List.of(dir.resolve("models"), c)));
    }

    @Test
    void twoModelsWithOneName_andAMissingPath_areErrorsNamingThem() throws Exception {
        Path one = file("models/clf.pkl");
        Path two = file("more/clf.pkl");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ModelFiles.expand(List.of(dir.resolve("models"), dir.resolve("more"))));
        assertEquals("two models are named clf.pkl: " + one + " and " + two, e.getMessage());
        Path missing = dir.resolve("nowhere/m.pkl");
        e = assertThrows(InvalidConfigurationException.class, () -> ModelFiles.expand(List.of(missing)));
        assertEquals("the model " + missing + " does not exist", e.getMessage());
        assertEquals("models", e.setting());
    }
}

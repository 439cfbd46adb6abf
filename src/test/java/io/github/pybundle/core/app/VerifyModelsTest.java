package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.target.Interpreters;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pybundle:verify} loads the shipped pickles (not other files) with warnings as errors. */
class VerifyModelsTest {
    @TempDir
    Path dir;

    @Test
    void theShippedPicklesAreLoadedAndOneThatWarnsFailsTheGoal() throws Exception {
        Path python = Interpreters.find(3, 11, System.getenv());
        Assumptions.assumeTrue(python != null, "Skipped: no python3.11 on PATH or in pyenv");
        Path out = Files.createDirectories(dir.resolve("target"));
        try (OutputStream o = Files.newOutputStream(out.resolve("app-1.0-pyfiles.zip"));
             ZipOutputStream zip = new ZipOutputStream(o)) {
            zip.putNextEntry(new ZipEntry("app.py"));
            zip.write("X = 1\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Path files = Files.createDirectories(out.resolve("pybundle/files"));
        Files.writeString(files.resolve("fine.pkl"), "(dp0\nVa\np1\nI1\ns.", StandardCharsets.US_ASCII);
        Files.writeString(files.resolve("vocab.txt"), "not a pickle");
        List<String> log = new ArrayList<>();
        VerifyService.Request r = new VerifyService.Request(out, "app-1.0", python, null, null, false, true,
                System.getenv());
        new VerifyService((l, m) -> log.add(m)).verify(r);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Verified: 1 model loads with ") && l.endsWith(
                "[fine.pkl]")), log.toString());

        Files.writeString(files.resolve("clf.pkl"), "cwarnings\nwarn\n(Vtrained with 1.3.2\ntR.",
                StandardCharsets.US_ASCII);
        PyBundleException e = assertThrows(PyBundleException.class, () -> new VerifyService((l, m) -> { })
                .verify(r));
        assertTrue(e.getMessage().contains("failed for 1 of 2 models (warnings are errors):\n  clf.pkl: UserWarning:"
                + " trained with 1.3.2"), e.getMessage());
    }
}

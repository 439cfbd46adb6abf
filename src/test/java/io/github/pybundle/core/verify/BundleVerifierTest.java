package io.github.pybundle.core.verify;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.bundle.PyFilesZipBuilder;
import io.github.pybundle.core.source.PythonSourceTree;
import io.github.pybundle.core.target.Interpreters;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleVerifierTest {
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
    private static final EnvironmentArchiveBuilder.Interpreter PY311 =
            new EnvironmentArchiveBuilder.Interpreter(3, 11, "python3");

    @TempDir
    Path dir;

    private Path python311() {
        Path p = Interpreters.find(3, 11, System.getenv());
        Assumptions.assumeTrue(p != null, "Skipped: no python3.11 on PATH or in pyenv");
        return p;
    }

    private Path zip(String... extraFiles) throws Exception {
        Path src = dir.resolve("src");
        SourceTrees.write(src, "app/__init__.py", "import six\n");
        SourceTrees.write(src, "main.py", "import app\n");
        for (int i = 0; i < extraFiles.length; i += 2) {
            SourceTrees.write(src, extraFiles[i], extraFiles[i + 1]);
        }
        return PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(
                PythonSourceTree.scan(src, src.resolve("main.py")), List.of(), dir.resolve("out/app-pyfiles.zip"), T,
                WheelChecks.defaults()));
    }

    private Path envWithSix() throws Exception {
        Path six = dir.resolve("six-1.16.0-py3-none-any.whl");
        Files.write(six, TestWheels.build(TestWheels.pure("six", "1.16.0")));
        return EnvironmentArchiveBuilder.build(new EnvironmentArchiveBuilder.Request(
                List.of(six), PY311, EnvironmentArchiveBuilder.Format.TAR_GZ, dir.resolve("out/app-pyenv.tar.gz"), T,
                WheelChecks.defaults()));
    }

    @Test
    void importAll_importsTheZipAndTheUnpackedEnvironmentTogether() throws Exception {
        List<String> log = new ArrayList<>();
        Path env = dir.resolve("work/environment");
        BundleVerifier.unpack(envWithSix(), env);
        new BundleVerifier((l, m) -> log.add(m)).importAll(python311(), zip(), env, dir.resolve("work"));
        assertTrue(log.get(0).startsWith("Verified: 2 modules import with ") && log.get(0).endsWith("[app, six]"),
                log.toString());
    }

    @Test
    void importAll_namesEachModuleThatFailsWithPythonsError() throws Exception {
        Path zip = zip("broken.py", "import does_not_exist\n", "fine.py", "X = 1\n");
        PyBundleException e = assertThrows(PyBundleException.class, () -> new BundleVerifier((l, m) -> { })
                .importAll(python311(), zip, null, Files.createDirectories(dir.resolve("work"))));
        assertTrue(e.getMessage().contains("failed for 1 of 3 modules"), e.getMessage());
        assertTrue(e.getMessage().contains("  broken: ModuleNotFoundError: No module named 'does_not_exist'"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("fine"), e.getMessage());
    }
    @Test
    void loadModels_failsForAModelThatWarnsOrNeedsAMissingModuleNamingEach() throws Exception {
        Path python = python311();
        Path work = Files.createDirectories(dir.resolve("work"));
        Path fine = Files.write(dir.resolve("fine.pkl"), "(dp0\nVa\np1\nI1\ns.".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)); // {'a': 1}, protocol 0
        // What unpickling a model from another scikit-learn does: warnings.warn(...), a UserWarning.
        Path warns = Files.write(dir.resolve("warns.pkl"), "cwarnings\nwarn\n(Vtrained with 1.3.2\ntR.".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII));
        Path missing = Files.write(dir.resolve("missing.pkl"), "csklearn_absent.tree\nTree\n.".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII));
        Path joblib = Files.write(dir.resolve("m.joblib"), "N.".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        List<String> log = new ArrayList<>();
        new BundleVerifier((l, m) -> log.add(m)).loadModels(python, zip(), null, work, List.of(fine));
        assertTrue(log.get(0).startsWith("Verified: 1 model loads with ") && log.get(0).endsWith(
                "(warnings as errors) [fine.pkl]"), log.toString());
        PyBundleException e = assertThrows(PyBundleException.class, () -> new BundleVerifier((l, m) -> { })
                .loadModels(python, zip(), null, work, List.of(fine, warns, missing)));
        assertTrue(e.getMessage().startsWith("loading the models with " + python + " failed for 2 of 3 models"
                + " (warnings are errors):\n"), e.getMessage());
        assertTrue(e.getMessage().contains("  warns.pkl: UserWarning: trained with 1.3.2"), e.getMessage());
        assertTrue(e.getMessage().contains("  missing.pkl: ModuleNotFoundError: No module named 'sklearn_absent'"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("fine.pkl"), e.getMessage());
        // A .joblib file is loaded with joblib: without it, that is the error (when the interpreter lacks joblib).
        Assumptions.assumeTrue(new ProcessBuilder(python.toString(), "-c", "import joblib").start().waitFor() != 0,
                "joblib is importable");
        e = assertThrows(PyBundleException.class, () -> new BundleVerifier((l, m) -> { })
                .loadModels(python, zip(), null, work, List.of(joblib)));
        assertTrue(e.getMessage().contains("  m.joblib: ModuleNotFoundError: No module named 'joblib'"),
                e.getMessage());
    }
}

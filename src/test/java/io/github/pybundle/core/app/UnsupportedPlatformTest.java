package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.event.PhaseTimer;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.project.ProjectPackager;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.sbom.Component;
import io.github.pybundle.core.target.PythonArchive;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestPythonArchives;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets whose nodes cannot run the environment archive (a POSIX virtual environment): Windows. A bundle that needs
 * one fails naming the platform; a pure-only bundle is the zip alone; macOS nodes run the archive.
 */
class UnsupportedPlatformTest {
    @TempDir
    Path dir;

    private TestIndexServer server;
    private Path src;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void index() throws Exception {
        server = new TestIndexServer();
        server.add(TestWheels.pure("pure-dep", "1.0"));
        for (String platform : List.of("win_amd64", "macosx_11_0_arm64")) {
            server.add(new TestWheels.Spec("fast-dep", "3.1", "cp311-cp311-" + platform, List.of(), null,
                    Map.of("fast_dep/__init__.py", "X = 1\n", "fast_dep/_speedups.pyd", "MZ")));
        }
        src = SourceTrees.sample(dir.resolve("project"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private BundleService.Outcome bundle(String platform, List<String> requirements, PythonArchive.Source python)
            throws Exception {
        DependencyRequest deps = new DependencyRequest(new DeclaredRequirements.Request(requirements, List.of(),
                List.of(), dir.resolve("project/pyproject.toml"), false, List.of(), List.of(), Map.of()),
                new TargetRequest(new Target.Spec("3.11", null, null, null, List.of(platform), null), null, List.of(),
                        true, null, python), false, false, dir.resolve("project/pylock.toml"), Map.of());
        IndexSource sources = files -> new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                dir.resolve("cache"), 2);
        return new BundleService((level, m) -> log.add(level + " " + m), new PhaseTimer()).bundle(
                new BundleService.Request(deps, src, src.resolve("main.py"), "app", dir.resolve("project/target"),
                        "app-1.0", Instant.parse("2024-01-01T00:00:00Z"), ProjectPackager.Layout.AUTO,
                        EnvironmentArchiveBuilder.Format.TAR_GZ, List.of(), ProjectPackager.SparkSpec.defaults(),
                        List.of(), List.of(), false, 1L << 30, 1L << 32, Component.of(Component.Type.APPLICATION,
                        "g", "a", "1", "pkg:maven/g/a@1")), sources);
    }

    @Test
    void windowsWithACompiledDependencyFailsNamingThePlatformAndTheWheel() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> bundle("win_amd64", List.of("pure-dep", "fast-dep"), null));
        assertEquals("pybundle cannot build an environment archive for win_amd64 (Windows), and this bundle needs one"
                + " for the wheel with compiled code fast_dep-3.1-cp311-cp311-win_amd64.whl: the archive is a POSIX"
                + " virtual environment (bin/python is a shell script, the packages are under"
                + " lib/pythonX.Y/site-packages), which Windows nodes cannot run", e.getMessage());
        assertTrue(e.hints().get(0).startsWith("if the cluster runs Linux, set {@target.platforms} to its platform"),
                e.hints().toString());
        assertFalse(Files.exists(dir.resolve("project/target/app-1.0-pyfiles.zip")), "nothing half-built");
        assertFalse(Files.exists(dir.resolve("project/target/pybundle/spark-submit.sh")));
    }

    @Test
    void windowsWithPureDependenciesOnlyIsTheZipAloneAndSaysSo() throws Exception {
        BundleService.Outcome o = bundle("win_amd64", List.of("pure-dep"), null);
        assertNull(o.environmentArchive());
        assertTrue(Files.isRegularFile(o.pyFilesZip()));
        assertFalse(Files.readString(o.launchDirectory().resolve("spark-submit.sh")).contains("--archives"));
        assertTrue(log.contains("INFO No environment archive: the target's platform win_amd64 cannot run one (its"
                + " bin/python, which checks the nodes' Python version, is a POSIX shell script), and every"
                + " dependency is pure, so the py-files zip holds the whole bundle; the nodes' Python must be 3.11"),
                String.join("\n", log));
        assertTrue(bundle("win_amd64", List.of("pure-dep"), null).reused(), "and the next build reuses it");
    }

    @Test
    void windowsWithAShippedInterpreterFailsBeforeReadingIt() throws Exception {
        Path python = TestPythonArchives.installOnly("3.11.9").writeTo(dir.resolve("cpython.tar.gz"));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> bundle("win32",
                List.of("pure-dep"), PythonArchive.Source.file(python.toString(), python, null)));
        assertTrue(e.getMessage().startsWith("pybundle cannot build an environment archive for win32 (Windows), and"
                + " this bundle needs one for the interpreter of {@target.pythonArchive}: "), e.getMessage());
        assertFalse(Files.exists(dir.resolve("project/pylock.toml")), "failed before resolving");
    }

    @Test
    void macosNodesGetTheEnvironmentArchive() throws Exception {
        BundleService.Outcome o = bundle("macosx_11_0_arm64", List.of("fast-dep"), null);
        assertNotNull(o.environmentArchive());
        assertTrue(Files.isRegularFile(o.environmentArchive()));
    }
}

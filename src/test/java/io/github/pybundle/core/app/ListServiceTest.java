package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.PyBundleException;
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

/** {@code list} after a real {@code bundle}: the table by package, and every file with the package it belongs to. */
class ListServiceTest {
    @TempDir
    Path dir;

    private TestIndexServer server;
    private Path src;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void index() throws Exception {
        server = new TestIndexServer();
        server.add(TestWheels.pure("pure-dep", "1.0", "left-out"));
        server.add(TestWheels.pure("left-out", "2.0"));
        server.add(new TestWheels.Spec("fast-dep", "3.1", "cp311-cp311-manylinux2014_x86_64", List.of(), null,
                Map.of("fast_dep/__init__.py", "X = 1\n", "fast_dep/_speedups.so", "ELF")));
        src = SourceTrees.sample(dir.resolve("project"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TargetRequest target(PythonArchive.Source python) {
        return new TargetRequest(new Target.Spec("3.11", null, null, null, null, null), null,
                List.of("numpy==1.24.4"), true, null, python);
    }

    private void bundle(TargetRequest target, List<String> jars) throws Exception {
        DependencyRequest deps = new DependencyRequest(new DeclaredRequirements.Request(List.of("pure-dep",
                "fast-dep"), List.of(), List.of(), dir.resolve("project/pyproject.toml"), false, List.of(), List.of(),
                Map.of()), target, false, false, dir.resolve("project/pylock.toml"), Map.of());
        IndexSource sources = files -> new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                dir.resolve("cache"), 2);
        ProjectPackager.SparkSpec spark = new ProjectPackager.SparkSpec("local[*]", "client", Map.of(), List.of(),
                List.of(), null, null, null, jars);
        new BundleService((level, m) -> { }, new PhaseTimer()).bundle(new BundleService.Request(deps, src,
                src.resolve("main.py"), "app", dir.resolve("project/target"), "app-1.0",
                Instant.parse("2024-01-01T00:00:00Z"), ProjectPackager.Layout.AUTO,
                EnvironmentArchiveBuilder.Format.TAR_GZ, List.of("left-out"), spark, List.of(), List.of(), false,
                1L << 30, 1L << 32, Component.of(Component.Type.APPLICATION, "g", "a", "1", "pkg:maven/g/a@1")),
                sources);
    }

    private ListService.Listing list(TargetRequest target, boolean files) throws Exception {
        return new ListService((level, m) -> log.add(level + " " + m)).list(new ListService.Request(
                dir.resolve("project/target"), "app-1.0", dir.resolve("project/pylock.toml"), target,
                List.of("left-out"), files));
    }

    @Test
    void listsEachPackageWhereItWentWithTheProvidedTheExcludedAndTheJars() throws Exception {
        Path jar = Files.write(dir.resolve("udfs-1.0.jar"), new byte[1234]);
        bundle(target(null), List.of(jar.toString()));
        list(target(null), false);
        List<String> table = log.subList(1, log.indexOf(log.stream().filter(l -> l.startsWith("INFO Outputs: "))
                .findFirst().orElseThrow()));
        assertEquals(List.of(
                "INFO Package       Version   Size  Kind    Placed in                File",
                "INFO fast-dep      3.1       1 kB  native  environment archive      fast_dep-3.1-cp311-cp311"
                        + "-manylinux2014_x86_64.whl",
                "INFO left-out      2.0          -  -       excluded",
                "INFO pure-dep      1.0      974 B  pure    py-files zip             pure_dep-1.0-py3-none-any.whl",
                "INFO numpy         1.24.4       -  -       provided by the cluster",
                "INFO py4j          any          -  -       provided by the cluster",
                "INFO pyspark       any          -  -       provided by the cluster",
                "INFO udfs-1.0.jar  -         1 kB  jar     --jars"), table, String.join("\n", log));
    }

    @Test
    void withFilesListsEveryFileWithItsPackageAndTheInterpreter() throws Exception {
        Path python = TestPythonArchives.installOnly("3.11.9").writeTo(dir.resolve("cpython.tar.gz"));
        TargetRequest shipping = target(PythonArchive.Source.file(python.toString(), python, null));
        bundle(shipping, List.of());
        ListService.Listing l = list(shipping, true);
        ContentsTable.Row interpreter = l.rows().stream().filter(r -> r.name().equals("python")).findFirst()
                .orElseThrow();
        assertEquals("3.11.9", interpreter.version());
        assertEquals("interpreter", interpreter.kind());
        assertEquals(ContentsTable.ENVIRONMENT_ARCHIVE, interpreter.placedIn());
        String text = String.join("\n", log);
        assertTrue(log.stream().anyMatch(s -> s.matches("INFO Files of app-1\\.0-pyfiles\\.zip \\(\\d+ files, .*"
                + " unpacked\\):")), text);
        assertTrue(log.stream().anyMatch(s -> s.matches("INFO +\\d+ B  pure-dep +pure_dep/__init__\\.py")), text);
        assertTrue(log.stream().anyMatch(s -> s.matches("INFO +\\d+ B  - +app/__init__\\.py")), text);
        assertTrue(log.stream().anyMatch(s -> s.matches("INFO +\\d+ B  fast-dep +lib/python3\\.11/site-packages"
                + "/fast_dep/_speedups\\.so")), text);
        assertTrue(log.stream().anyMatch(s -> s.matches("INFO +\\d+ B  - +bin/python")), text);
        assertTrue(log.stream().anyMatch(s -> s.matches("INFO +[0-9.]+ k?B  python +python/bin/python3\\.11")), text);
    }

    @Test
    void withoutABundleItSaysToBuildOne() {
        PyBundleException e = assertThrows(PyBundleException.class, () -> list(target(null), false));
        assertEquals("there is no bundle to list: " + dir.resolve("project/target/pybundle/app-1.0-pyfiles.zip")
                + " is missing", e.getMessage());
        assertEquals(List.of("build it first: {!package}"), e.hints());
    }
}

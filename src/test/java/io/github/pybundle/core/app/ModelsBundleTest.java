package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.github.pybundle.core.target.Target;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code <models>} in the bundle goal: shipped with the launch's files, and each pickle checked against the lock's
 * scikit-learn and NumPy.
 */
class ModelsBundleTest {
    // A DecisionTreeClassifier pickled (protocol 4) with scikit-learn 1.3.2, and an object of numpy._core (NumPy 2).
    private static final byte[] TREE = HexFormat.of().parseHex("80049599000000000000005d94288c15736b6c6561726e2e7472"
            + "65652e5f636c6173736573948c164465636973696f6e54726565436c61737369666965729493942981947d94288c096d61785f"
            + "6465707468944b038c105f736b6c6561726e5f76657273696f6e948c05312e332e329475628c166e756d70792e5f636f72652e"
            + "6d756c74696172726179948c0c5f7265636f6e7374727563749493944b0185945294652e");

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    private BundleService.Outcome bundle(TestIndexServer server, List<Path> models) throws Exception {
        DependencyRequest deps = new DependencyRequest(new DeclaredRequirements.Request(List.of("scikit-learn",
                "numpy"), List.of(), List.of(), dir.resolve("project/pyproject.toml"), false, List.of(), List.of(),
                Map.of()), new TargetRequest(new Target.Spec("3.11", null, null, null,
                List.of("manylinux2014_x86_64"), null), null, List.of(), true, null, null), false, false,
                dir.resolve("project/pylock.toml"), Map.of());
        IndexSource sources = files -> new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                dir.resolve("cache"), 2);
        Path src = SourceTrees.sample(dir.resolve("project"));
        return new BundleService((level, m) -> log.add(level + " " + m), new PhaseTimer()).bundle(
                new BundleService.Request(deps, src, src.resolve("main.py"), "app", dir.resolve("project/target"),
                        "app-1.0", Instant.parse("2024-01-01T00:00:00Z"), ProjectPackager.Layout.AUTO,
                        EnvironmentArchiveBuilder.Format.TAR_GZ, List.of(), ProjectPackager.SparkSpec.defaults(),
                        List.of(), List.of(), true, 1L << 30, 1L << 32, Component.of(Component.Type.APPLICATION,
                        "g", "a", "1", "pkg:maven/g/a@1"), models), sources);
    }

    private Path models() throws Exception {
        Path m = Files.createDirectories(dir.resolve("project/src/main/models"));
        Files.write(m.resolve("clf.pkl"), TREE);
        Files.writeString(m.resolve("vocab.txt"), "a\nb\n");
        return m;
    }

    @Test
    void aModelPickledWithAnotherSklearn_failsTheBuildNamingBothVersions() throws Exception {
        Path m = models();
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(TestWheels.pure("scikit-learn", "1.5.0"));
            server.add(TestWheels.pure("numpy", "2.0.2"));
            PyBundleException e = assertThrows(PyBundleException.class, () -> bundle(server, List.of(m)));
            assertEquals("src/main/models/clf.pkl was pickled with scikit-learn 1.3.2, but the bundle ships"
                    + " scikit-learn 1.5.0", e.getMessage());
            assertEquals(List.of("retrain it with the bundle's versions (scikit-learn 1.5.0): {!exec} runs your"
                    + " training script in the bundle's environment (-Dpybundle.exec.args=\"train.py ...\")", "or pin"
                    + " scikit-learn==1.3.2 in {@requirements} and lock again"), e.hints());
            assertFalse(Files.exists(dir.resolve("project/target/app-1.0-pyfiles.zip")), "nothing is written");
        }
    }

    @Test
    void matchingModels_areShippedWithTheLaunchsFilesAndListed() throws Exception {
        Path m = models();
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(TestWheels.pure("scikit-learn", "1.3.2"));
            server.add(TestWheels.pure("numpy", "2.0.2"));
            BundleService.Outcome o = bundle(server, List.of(m));
            assertTrue(log.contains("INFO Model src/main/models/clf.pkl: checked, pickled with scikit-learn 1.3.2,"
                    + " 2 modules referenced"), String.join("\n", log));
            assertTrue(log.contains("INFO Model src/main/models/vocab.txt: unchecked (not a pickle, joblib or skops"
                    + " file)"), String.join("\n", log));
            assertEquals(TREE.length, Files.size(o.launchDirectory().resolve("files/clf.pkl")));
            assertTrue(Files.isRegularFile(o.launchDirectory().resolve("files/vocab.txt")));
            String submit = Files.readString(o.launchDirectory().resolve("spark-submit.sh"));
            assertTrue(submit.contains("files/clf.pkl") && submit.contains("files/vocab.txt"), submit);
            String launch = Files.readString(o.launchDirectory().resolve("launch.json"));
            assertTrue(launch.contains("files/clf.pkl"), launch);
            List<String> inApp = new ArrayList<>();
            try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(
                    o.sparkApp())))) {
                for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                    inApp.add(e.getName());
                }
            }
            assertTrue(inApp.contains("app-1.0/files/clf.pkl") && inApp.contains("app-1.0/files/vocab.txt"),
                    inApp.toString());

            // Another model with the same name is an error naming both.
            Path other = Files.createDirectories(dir.resolve("project/more"));
            Files.write(other.resolve("clf.pkl"), TREE);
            PyBundleException e = assertThrows(PyBundleException.class, () -> bundle(server, List.of(m, other)));
            assertEquals("two models are named clf.pkl: " + m.resolve("clf.pkl") + " and " + other.resolve("clf.pkl"),
                    e.getMessage());
        }
    }
}

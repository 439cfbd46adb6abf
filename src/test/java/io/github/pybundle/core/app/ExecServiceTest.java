package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
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
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pybundle:exec}: a script runs with the bundle's locked packages and the project's live code, from the
 * project's directory, in an environment unpacked once into the cache; the model check does not stop it.
 */
class ExecServiceTest {
    // A scikit-learn 1.3.2 DecisionTreeClassifier pickle (as in ModelsBundleTest): it mismatches a lock of 1.5.0.
    private static final byte[] TREE = HexFormat.of().parseHex("80049599000000000000005d94288c15736b6c6561726e2e7472"
            + "65652e5f636c6173736573948c164465636973696f6e54726565436c61737369666965729493942981947d94288c096d61785f"
            + "6465707468944b038c105f736b6c6561726e5f76657273696f6e948c05312e332e329475628c166e756d70792e5f636f72652e"
            + "6d756c74696172726179948c0c5f7265636f6e7374727563749493944b0185945294652e");
    private static final String SCRIPT = String.join("\n",
            "import os, sys, greet, fast, app",
            "with open(sys.argv[1], 'w') as f:",
            "    f.write(' '.join([greet.VERSION, app.VERSION, str(sys.flags.no_user_site),",
            "                      '%d.%d' % sys.version_info[:2], os.path.dirname(greet.__file__),",
            "                      os.path.dirname(app.__file__), os.getcwd(), os.path.dirname(fast.__file__)]))",
            "");

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();
    private Path project;
    private Path src;

    @BeforeEach
    void project() throws Exception {
        project = dir.resolve("project");
        src = SourceTrees.sample(project);
        Files.writeString(project.resolve("train.py"), SCRIPT);
    }

    private BundleService.Request bundle(List<String> requirements, List<Path> models) {
        DependencyRequest deps = new DependencyRequest(new DeclaredRequirements.Request(requirements, List.of(),
                List.of(), project.resolve("pyproject.toml"), false, List.of(), List.of(), Map.of()),
                new TargetRequest(new Target.Spec("3.11", null, null, null, List.of("manylinux2014_x86_64"), null),
                        null, List.of(), true, null, null), false, false, project.resolve("pylock.toml"), Map.of());
        return new BundleService.Request(deps, src, src.resolve("main.py"), "app", project.resolve("target"),
                "app-1.0", Instant.parse("2024-01-01T00:00:00Z"), ProjectPackager.Layout.AUTO,
                EnvironmentArchiveBuilder.Format.TAR_GZ, List.of(), ProjectPackager.SparkSpec.defaults(), List.of(),
                List.of(), true, 1L << 30, 1L << 32, Component.of(Component.Type.APPLICATION, "g", "a", "1",
                "pkg:maven/g/a@1"), models);
    }

    private IndexSource sources(TestIndexServer server) {
        return files -> new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                dir.resolve("cache"), 2);
    }

    private ExecService.Outcome exec(TestIndexServer server, BundleService.Request bundle, String... args)
            throws Exception {
        return new ExecService((level, m) -> log.add(level + " " + m), new PhaseTimer()).exec(new ExecService.Request(
                bundle, List.of(args), project, dir.resolve("cache"), null, System.getenv()), sources(server));
    }

    @Test
    void theScriptRunsWithTheLockedPackagesAndTheProjectsLiveCode_inAnEnvironmentUnpackedOnce() throws Exception {
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(TestWheels.pure("greet", "2.0"));
            server.add(new TestWheels.Spec("fast", "1.0", "cp311-cp311-manylinux2014_x86_64", List.of(), null,
                    Map.of("fast/__init__.py", "VERSION = '1.0'\n"))); // not pure: in the environment archive
            Path models = project.resolve("src/main/models"); // what the script would train: not there yet
            ExecService.Outcome o = exec(server, bundle(List.of("greet", "fast"), List.of(models)), "train.py",
                    "out.txt");
            assertTrue(log.contains("INFO Model " + models + " does not exist yet: not shipped in this build"),
                    String.join("\n", log));
            String[] seen = Files.readString(project.resolve("out.txt")).split(" ");
            assertEquals("2.0", seen[0], "the locked greet");
            assertEquals("1", seen[1], "the project's app");
            assertEquals("1", seen[2], "no user site-packages");
            assertEquals("3.11", seen[3], "the target's Python");
            Path environment = o.environment();
            assertTrue(environment.startsWith(dir.resolve("cache/environments/sha256")), environment.toString());
            assertEquals(project.resolve("target/app-1.0-pyfiles.zip/greet").toString(), seen[4], "pure: the zip");
            assertEquals(environment.resolve("lib/python3.11/site-packages/fast").toRealPath(),
                    Path.of(seen[7]).toRealPath(), "the unpacked environment");
            assertEquals(src.resolve("app").toRealPath(), Path.of(seen[5]).toRealPath(), "sources, not the zip");
            assertEquals(project.toRealPath(), Path.of(seen[6]).toRealPath(), "run from the project");
            assertTrue(Files.isRegularFile(project.resolve("pylock.toml")), "locked first");
            assertTrue(log.stream().anyMatch(l -> l.startsWith("INFO Running ") && l.contains("train.py out.txt")),
                    String.join("\n", log));

            // Again: the bundle and its unpacked environment are reused, not unpacked a second time.
            Path marker = Files.writeString(environment.resolve("marker"), "x");
            ExecService.Outcome again = exec(server, bundle(List.of("greet", "fast"), List.of()), "train.py",
                    "out2.txt");
            assertEquals(environment, again.environment());
            assertTrue(Files.exists(marker), "the same directory, not unpacked again");
            assertTrue(Files.isRegularFile(project.resolve("out2.txt")));
        }
    }

    @Test
    void aModelThatDoesNotMatchDoesNotStopTheScript_butTheBundleGoalStillChecksIt() throws Exception {
        Path models = Files.createDirectories(project.resolve("src/main/models"));
        Files.write(models.resolve("clf.pkl"), TREE);
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(TestWheels.pure("scikit-learn", "1.5.0"));
            server.add(TestWheels.pure("greet", "2.0"));
            BundleService.Request request = bundle(List.of("scikit-learn", "greet"), List.of(models));
            exec(server, request, "-c", "import scikit_learn, greet; open('ran.txt', 'w')"
                    + ".write(scikit_learn.VERSION)");
            assertEquals("1.5.0", Files.readString(project.resolve("ran.txt")));
            assertTrue(log.contains("INFO Models not checked against the lock (1 model): this build is for running a"
                    + " script; the bundle goal checks them"), String.join("\n", log));
            // The outputs exec left are not taken as a checked bundle.
            PyBundleException e = assertThrows(PyBundleException.class, () -> new BundleService((l, m) -> { },
                    new PhaseTimer()).bundle(request, sources(server)));
            assertEquals("src/main/models/clf.pkl was pickled with scikit-learn 1.3.2, but the bundle ships"
                    + " scikit-learn 1.5.0", e.getMessage());
        }
    }

    @Test
    void aFailingScriptFailsTheBuildWithItsExitStatus_andNoScriptIsAConfigurationError() throws Exception {
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(TestWheels.pure("greet", "2.0"));
            PyBundleException e = assertThrows(PyBundleException.class, () -> exec(server,
                    bundle(List.of("greet"), List.of()), "-c", "import sys; sys.exit(3)"));
            assertTrue(e.getMessage().startsWith("the script failed (exit status 3): "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" -c 'import sys; sys.exit(3)'"), e.getMessage());
            InvalidConfigurationException none = assertThrows(InvalidConfigurationException.class, () -> exec(server,
                    bundle(List.of("greet"), List.of())));
            assertTrue(none.getMessage().contains("{#exec.args} is empty"), none.getMessage());
        }
    }

    @Test
    void onlyTheMostRecentlyUsedEnvironmentsAreKept() throws Exception {
        Path root = Files.createDirectories(dir.resolve("cache/environments/sha256"));
        for (int i = 0; i < 6; i++) {
            Path old = Files.createDirectories(root.resolve("old" + i + "/lib"));
            Files.writeString(old.resolve("x"), "x");
            Files.setLastModifiedTime(root.resolve("old" + i), FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(TestWheels.pure("greet", "2.0"));
            ExecService.Outcome o = exec(server, bundle(List.of("greet"), List.of()), "-c", "pass");
            List<String> left;
            try (Stream<Path> s = Files.list(root)) {
                left = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertEquals(ExecService.KEEP_ENVIRONMENTS + 1, left.size(), left.toString());
            assertTrue(left.contains(o.environment().getFileName().toString()));
            assertFalse(left.contains("old0") || left.contains("old1"), "the least recently used go: " + left);
        }
    }
}

package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.testing.CraftedWheel;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm build (the cache and the lock kept, {@code target/} deleted) copies the environment archive built before
 * from the same inputs instead of building it again; any changed input builds it. With the same lock, sources and
 * settings (and no re-lock), every output comes back from the cache ({@code BundleSnapshots}).
 */
class EnvironmentArchiveReuseTest {
    private static final String COPIED = "INFO Environment archive built before from the same wheels and settings:"
            + " copied from the cache";

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    private PhaseTimer timer;
    private boolean updateLock = true; // re-locks, so that the archive caches are what is exercised
    private String main = "main.py";
    private long maxInflatedWheel = 1L << 30;

    private BundleService.Outcome bundle(TestIndexServer server, String timestamp) throws Exception {
        Path project = dir.resolve("project");
        Path src = Files.isDirectory(project.resolve("src/main/python")) ? project.resolve("src/main/python")
                : SourceTrees.sample(project);
        DependencyRequest deps = new DependencyRequest(new DeclaredRequirements.Request(List.of("fast", "greet"),
                List.of(), List.of(), project.resolve("pyproject.toml"), false, List.of(), List.of(), Map.of()),
                new TargetRequest(new Target.Spec("3.11", null, null, null, List.of("manylinux2014_x86_64"), null),
                        null, List.of(), true, null, null), false, false, project.resolve("pylock.toml"), Map.of());
        IndexSource sources = files -> new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                dir.resolve("cache"), 2);
        log.clear();
        timer = new PhaseTimer();
        return new BundleService((level, m) -> log.add(level + " " + m), timer).bundle(
                new BundleService.Request(deps, src, src.resolve(main), "app", project.resolve("target"),
                        "app-1.0", Instant.parse(timestamp), ProjectPackager.Layout.AUTO,
                        EnvironmentArchiveBuilder.Format.TAR_GZ, List.of(), ProjectPackager.SparkSpec.defaults(),
                        List.of(), List.of(), updateLock, maxInflatedWheel, 1L << 32, Component.of(Component.Type.APPLICATION,
                        "g", "a", "1", "pkg:maven/g/a@1")), sources);
    }

    // An index with a pure wheel and a native one: the bundle has an environment archive.
    private static TestIndexServer twoWheels() throws Exception {
        TestIndexServer server = new TestIndexServer();
        server.add(TestWheels.pure("greet", "2.0"));
        server.add(new TestWheels.Spec("fast", "1.0", "cp311-cp311-manylinux2014_x86_64", List.of(), null,
                Map.of("fast/__init__.py", "VERSION = '1.0'\n")));
        return server;
    }

    private void clean() throws Exception {
        try (Stream<Path> s = Files.walk(dir.resolve("project/target"))) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aWheelThatFailsItsCheckFailsTheBundle_withNoOutput() throws Exception {
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(TestWheels.pure("greet", "2.0"));
            // Checked while others download: its failure stops the build before any output is written.
            // Its structure is sound (the placement's quick look passes); a file does not match its RECORD hash.
            server.addFile("fast", CraftedWheel.WRONG_RECORD_HASH, CraftedWheel.nativeWithWrongRecordHash());
            PyBundleException e = assertThrows(PyBundleException.class, () -> bundle(server,
                    "2024-01-01T00:00:00Z"));
            assertTrue(e.getMessage().startsWith("fast-1.0-cp311-cp311-manylinux2014_x86_64.whl: "), e.getMessage());
            assertTrue(e.getMessage().contains("does not match its RECORD hash"), e.getMessage());
            Files.createDirectories(dir.resolve("project/target")); // absent: nothing was written at all
            try (Stream<Path> s = Files.list(dir.resolve("project/target"))) {
                assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tar.gz")
                        || p.getFileName().toString().endsWith(".zip")).toList(), "no archive written");
            }
            for (String kept : List.of("archives", "bundles")) { // nor kept for a later build
                Path d = dir.resolve("cache").resolve(kept);
                if (Files.exists(d)) {
                    try (Stream<Path> s = Files.walk(d)) {
                        assertEquals(List.of(), s.filter(Files::isRegularFile).toList(), kept);
                    }
                }
            }
        }
    }

    @Test
    void aWarmBuildCopiesTheArchive_theSameBytes_andAChangedInputBuildsIt() throws Exception {
        try (TestIndexServer server = twoWheels()) {
            BundleService.Outcome cold = bundle(server, "2024-01-01T00:00:00Z");
            assertFalse(log.contains(COPIED), String.join("\n", log));
            byte[] built = Files.readAllBytes(cold.environmentArchive());
            String launcher = Files.readString(cold.launchDirectory().resolve("spark-submit.sh"));
            assertTrue(launcher.contains(Digests.sha256Hex(cold.environmentArchive())), "keyed by its digest");

            clean();
            BundleService.Outcome warm = bundle(server, "2024-01-01T00:00:00Z");
            assertTrue(log.contains(COPIED), String.join("\n", log));
            assertArrayEquals(built, Files.readAllBytes(warm.environmentArchive()));
            assertEquals(launcher, Files.readString(warm.launchDirectory().resolve("spark-submit.sh")),
                    "the launcher names the same digest, without hashing the archive again");
            assertArrayEquals(built, Files.readAllBytes(warm.launchDirectory().resolve(
                    warm.environmentArchive().getFileName())), "the application directory's copy too");

            clean();
            bundle(server, "2025-06-01T00:00:00Z"); // another entry time: other bytes, built
            assertFalse(log.contains(COPIED), String.join("\n", log));
        }
    }

    @Test
    void aWarmBuildCopiesTheApplicationArchive_andAChangedFileOfItBuildsIt() throws Exception {
        try (TestIndexServer server = twoWheels()) {
            BundleService.Outcome cold = bundle(server, "2024-01-01T00:00:00Z");
            byte[] app = Files.readAllBytes(cold.sparkApp());
            Path apps = dir.resolve("cache/archives/app-v1");
            try (Stream<Path> s = Files.list(apps)) {
                assertEquals(1, s.count(), "one application archive kept");
            }

            clean();
            BundleService.Outcome warm = bundle(server, "2024-01-01T00:00:00Z");
            assertArrayEquals(app, Files.readAllBytes(warm.sparkApp()), "the same bytes");
            Path entry;
            try (Stream<Path> s = Files.list(apps)) {
                entry = s.findFirst().orElseThrow().resolve("archive");
            }
            assertTrue(Files.isSameFile(entry, warm.sparkApp()), "linked from the cache's copy, not written again");

            // The main script is one of its files: changed, the application archive is built again, with it.
            clean();
            Path main = dir.resolve("project/src/main/python/main.py");
            Files.writeString(main, Files.readString(main) + "# changed\n");
            BundleService.Outcome changed = bundle(server, "2024-01-01T00:00:00Z");
            assertFalse(Files.isSameFile(entry, changed.sparkApp()), "not the old one");
            assertFalse(java.util.Arrays.equals(app, Files.readAllBytes(changed.sparkApp())));
            try (Stream<Path> s = Files.list(apps)) {
                assertEquals(2, s.count(), "both kept");
            }
        }
    }

    @Test
    void theTimerSaysWhatTheBuildsTimeWentTo_andAWarmBuildDownloadsNothing() throws Exception {
        try (TestIndexServer server = twoWheels()) {
            bundle(server, "2024-01-01T00:00:00Z");
            String cold = timer.work();
            // Two pages and two PEP 658 metadata files requested; two pages parsed; two wheels downloaded and checked.
            Map<String, Integer> expected = Map.of("index requests", 4, "page parsing", 2,
                    "resolver waiting for pages", 2, "resolver waiting for metadata", 2, "file downloads", 2,
                    "wheel checks", 2);
            expected.forEach((kind, times) -> assertTrue(cold.matches("(.*, )?" + kind + " [0-9.]+ s \\(" + times
                    + "\\)(, .*)?"), kind + " " + times + " times in: " + cold));
            clean();
            bundle(server, "2024-01-01T00:00:00Z");
            String warm = timer.work();
            assertFalse(warm.contains("file downloads"), "the wheels come from the cache: " + warm);
            assertTrue(warm.contains("wheel checks"), "checked again (from their markers): " + warm);
        }
    }

    private static final String RESTORED = "INFO Bundle built before from the same lock, sources and settings: its";

    // Each output file's path (relative to target/), bytes and whether it is executable.
    private Map<String, String> outputs() throws Exception {
        Path target = dir.resolve("project/target");
        Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(target)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(target.relativize(p).toString(), Digests.sha256Hex(p) + (Files.isExecutable(p) ? " x" : ""));
            }
        }
        return out;
    }

    @Test
    void aWarmBuildWithTheSameLockAndSources_putsBackEveryOutput_asTheBuildMadeThem() throws Exception {
        updateLock = false;
        try (TestIndexServer server = twoWheels()) {
            bundle(server, "2024-01-01T00:00:00Z");
            Map<String, String> built = outputs();
            assertTrue(built.get("pybundle/spark-submit.sh").endsWith(" x"), built.toString());

            clean();
            BundleService.Outcome warm = bundle(server, "2024-01-01T00:00:00Z");
            assertTrue(log.stream().anyMatch(l -> l.startsWith(RESTORED)), String.join("\n", log));
            assertEquals(built, outputs(), "the same files, bytes and modes");
            assertTrue(Files.isRegularFile(warm.environmentArchive()));
            assertFalse(timer.work().contains("index requests"), "no index: " + timer.work());
            assertFalse(timer.work().contains("wheel checks"), "no wheel opened: " + timer.work());

            bundle(server, "2024-01-01T00:00:00Z"); // and then nothing changed: the outputs in target/ are reused
            assertTrue(log.stream().anyMatch(l -> l.startsWith("INFO Bundle unchanged since the last build")),
                    String.join("\n", log));

            // A changed source is another bundle: built, not put back.
            clean();
            Path helpers = dir.resolve("project/src/main/python/helpers.py");
            Files.writeString(helpers, "X = 2\n");
            bundle(server, "2024-01-01T00:00:00Z");
            assertFalse(log.stream().anyMatch(l -> l.startsWith(RESTORED)), String.join("\n", log));
            assertFalse(built.equals(outputs()));
        }
    }

    @Test
    void aBuildWithoutItsLock_resolvesAndBuilds_withoutLookingForAShortcut() throws Exception {
        updateLock = false;
        try (TestIndexServer server = twoWheels()) {
            bundle(server, "2024-01-01T00:00:00Z");
            Map<String, String> built = outputs();
            Path lock = dir.resolve("project/pylock.toml");
            String locked = Files.readString(lock);

            Files.delete(lock); // target/ kept: the fingerprint recorded there covered the lock that is now gone
            bundle(server, "2024-01-01T00:00:00Z");
            assertFalse(log.stream().anyMatch(l -> l.startsWith("INFO Bundle unchanged")), String.join("\n", log));
            assertEquals(locked, Files.readString(lock), "resolved and written again");
            assertFalse(timer.summary().contains("up-to-date check"), timer.summary());

            clean(); // and with target/ gone too: the snapshot in the cache was made with the lock
            Files.delete(lock);
            bundle(server, "2024-01-01T00:00:00Z");
            assertFalse(log.stream().anyMatch(l -> l.startsWith(RESTORED)), String.join("\n", log));
            assertFalse(timer.summary().contains("restore"), timer.summary());
            assertEquals(built, outputs(), "the same outputs, built again");
        }
    }

    @Test
    void aKeptOutputChangedInTheCache_isDroppedAndTheBundleBuilt() throws Exception {
        updateLock = false;
        try (TestIndexServer server = twoWheels()) {
            bundle(server, "2024-01-01T00:00:00Z");
            Map<String, String> built = outputs();
            clean(); // target/'s files were links to the cache's: changing one now changes only the cache's
            Path kept;
            try (Stream<Path> s = Files.walk(dir.resolve("cache/bundles/v1"))) {
                kept = s.filter(p -> p.toString().endsWith("/pybundle/launch.json")).findFirst().orElseThrow();
            }
            Files.writeString(kept, "{\"master\": \"yarn\", \"conf\": {\"spark.evil\": \"1\"}}\n");

            bundle(server, "2024-01-01T00:00:00Z");
            assertFalse(log.stream().anyMatch(l -> l.startsWith(RESTORED)), String.join("\n", log));
            assertEquals(built, outputs(), "built again, as before");
            assertFalse(Files.readString(kept).contains("spark.evil"), "the changed entry was replaced");
        }
    }

    @Test
    void aRenamedMainScriptOrAStricterLimit_isAnotherBundle_notTheOneBuiltBefore() throws Exception {
        updateLock = false;
        try (TestIndexServer server = twoWheels()) {
            bundle(server, "2024-01-01T00:00:00Z");

            // The same content under another name: the launchers must name the new copy.
            Path src = dir.resolve("project/src/main/python");
            Files.copy(src.resolve("main.py"), src.resolve("run.py"));
            main = "run.py";
            BundleService.Outcome renamed = bundle(server, "2024-01-01T00:00:00Z");
            assertFalse(log.stream().anyMatch(l -> l.contains("Bundle unchanged")), String.join("\n", log));
            assertTrue(Files.readString(renamed.launchDirectory().resolve("spark-submit.sh")).contains("run.py"));
            clean();
            bundle(server, "2024-01-01T00:00:00Z");
            assertTrue(log.stream().anyMatch(l -> l.startsWith(RESTORED)), String.join("\n", log));
            assertTrue(Files.readString(dir.resolve("project/target/pybundle/spark-submit.sh")).contains("run.py"));

            // A limit the wheels exceed fails the build, whether outputs exist in target/ or in the cache.
            maxInflatedWheel = 10;
            assertThrows(PyBundleException.class, () -> bundle(server, "2024-01-01T00:00:00Z"));
            clean();
            assertThrows(PyBundleException.class, () -> bundle(server, "2024-01-01T00:00:00Z"));
        }
    }
}

package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.PhaseTimer;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.lock.BuildWheels;
import io.github.pybundle.core.lock.LockedPackage;
import io.github.pybundle.core.lock.Pylock;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wheel the build depends on (a Maven {@code whl} dependency, stored as {@code helpers-1.0.whl}) that needs
 * {@code dep} from an index: the lock records both, {@code helpers} by the path of pybundle's copy relative to the
 * lock, and reads back.
 */
class BuildWheelsInLockTest {
    private static final String ARTIFACT = "com.example:helpers:whl:1.0";

    @TempDir
    Path dir;

    private TestIndexServer server;
    private Path src;
    private String currentBody = "X = 1\n";

    @BeforeEach
    void index() throws Exception {
        server = new TestIndexServer();
        server.add(TestWheels.pure("dep", "1.0"));
        src = SourceTrees.sample(dir.resolve("project"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path mavenWheel(String body) throws Exception {
        Path w = dir.resolve("m2/com/example/helpers/1.0/helpers-1.0.whl"); // as a Maven repository names it
        Files.createDirectories(w.getParent());
        return Files.write(w, TestWheels.build(new TestWheels.Spec("helpers", "1.0", "py3-none-any", List.of("dep"),
                null, Map.of("helpers/__init__.py", body))));
    }

    private BundleService.Outcome bundle() throws Exception {
        DependencyRequest deps = new DependencyRequest(new DeclaredRequirements.Request(List.of(), List.of(),
                List.of(), dir.resolve("project/pyproject.toml"), false, List.of(), List.of(), Map.of()),
                new TargetRequest(new Target.Spec("3.11", null, null, null, null, null), null, List.of(), true, null,
                        null),
                false, false, dir.resolve("project/pylock.toml"), Map.of());
        IndexSource sources = files -> new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                dir.resolve("cache"), 2);
        return new BundleService(BuildListener.silent(), new PhaseTimer()).bundle(new BundleService.Request(deps,
                src, src.resolve("main.py"), "app", dir.resolve("project/target"), "app-1.0",
                Instant.parse("2024-01-01T00:00:00Z"), ProjectPackager.Layout.AUTO,
                EnvironmentArchiveBuilder.Format.TAR_GZ, List.of(), ProjectPackager.SparkSpec.defaults(),
                List.of(new BuildWheels.Wheel(mavenWheel(currentBody), ARTIFACT)), List.of(), false, 1L << 30,
                1L << 32, Component.of(Component.Type.APPLICATION, "g", "a", "1", "pkg:maven/g/a@1")), sources);
    }

    private static LockedPackage pkg(Pylock lock, String name) {
        return lock.packages().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theLockRecordsTheBuildsWheelByItsCopyRelativeToTheLockAndReadsBack() throws Exception {
        bundle();
        Path lockFile = dir.resolve("project/pylock.toml");
        Pylock lock = Pylock.read(lockFile); // validated as any lock is
        LockedPackage helpers = pkg(lock, "helpers");
        assertEquals(ARTIFACT, helpers.artifact());
        assertEquals("helpers-1.0-py3-none-any.whl", helpers.wheelName());
        assertEquals("target/pybundle/maven-wheels/helpers-1.0-py3-none-any.whl", helpers.path());
        Path copy = lockFile.getParent().resolve(helpers.path());
        assertEquals(TestWheels.sha256Hex(Files.readAllBytes(copy)), helpers.sha256());
        assertEquals(Files.size(copy), helpers.size());
        assertEquals(List.of("dep"), helpers.dependencies());
        assertEquals(null, pkg(lock, "dep").artifact());
        String text = Files.readString(lockFile);
        assertTrue(text.contains("tool.pybundle.artifact = \"" + ARTIFACT + "\"\n"), text);
        assertFalse(text.contains(dir.toString()), "no path of this machine: " + text);
        assertEquals(ARTIFACT, new com.fasterxml.jackson.dataformat.toml.TomlMapper().readTree(text)
                .at("/packages/1/tool/pybundle/artifact").asText(), "plain TOML: [packages.tool.pybundle] artifact");
    }

    @Test
    void anUnchangedBuildReusesTheBundleAndAChangedWheelIsRecordedAgain() throws Exception {
        bundle();
        Path lockFile = dir.resolve("project/pylock.toml");
        String first = Files.readString(lockFile);
        assertTrue(bundle().reused(), "the recorded lock is part of what the next build compares");
        assertEquals(first, Files.readString(lockFile));

        currentBody = "X = 2\n"; // a new build of the same version (a SNAPSHOT, say), same requirements
        BundleService.Outcome o = bundle();
        assertFalse(o.reused());
        LockedPackage helpers = pkg(Pylock.read(lockFile), "helpers");
        assertEquals(TestWheels.sha256Hex(Files.readAllBytes(lockFile.getParent().resolve(helpers.path()))),
                helpers.sha256(), "re-recorded, not an out-of-date lock");
        assertTrue(bundle().reused());
    }

    @Test
    void reLockingKeepsTheBuildsWheels() throws Exception {
        bundle();
        Path lockFile = dir.resolve("project/pylock.toml");
        DependencyRequest deps = new DependencyRequest(new DeclaredRequirements.Request(List.of("dep"), List.of(),
                List.of(), dir.resolve("project/pyproject.toml"), false, List.of(), List.of(), Map.of()),
                new TargetRequest(new Target.Spec("3.11", null, null, null, null, null), null, List.of(), true, null,
                        null),
                false, false, lockFile, Map.of());
        Pylock relocked = new LockService(BuildListener.silent()).lock(deps, files -> new IndexConfiguration(
                List.of(PackageSource.of("test", server.indexUrl(), PackageSource.Kind.INDEX, "indexUrl")), List.of(),
                Map.of(), NetworkSettings.defaults(), dir.resolve("cache"), 2));
        assertEquals(ARTIFACT, pkg(relocked, "helpers").artifact());
        assertEquals(ARTIFACT, pkg(Pylock.read(lockFile), "helpers").artifact());
    }
}

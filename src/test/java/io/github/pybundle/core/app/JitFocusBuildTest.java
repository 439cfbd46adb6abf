package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.PhaseTimer;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.project.ProjectPackager;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.sbom.Component;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.testing.CraftedWheel;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The JIT focus as the bundle, exec and lock goals use it: HotSpot's compiler directives are pybundle's while a cold
 * build runs (seen from the build's own log, as {@code jcmd <pid> Compiler.directives_print} would show them), and the
 * JVM's own again when the goal ends, whether it succeeded or failed; an unchanged build never touches them.
 */
@ResourceLock("jvm-compiler-directives")
class JitFocusBuildTest {
    private static final String ADDED = "DEBUG JIT focus: 3 compiler directives added (C2 for the JDK's cryptography"
            + " only while the goal runs)";
    private static final String REMOVED = "DEBUG JIT focus: 3 compiler directives removed";

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<String> seenAtTheSbom = new CopyOnWriteArrayList<>();
    private String jvmOwn;
    private boolean updateLock = true; // the first build writes the lock; an unchanged one keeps it

    @BeforeEach
    void hotSpot() throws Exception {
        assumeTrue(JitFocusTest.hotSpot(), "a JVM with HotSpot's diagnostic commands");
        jvmOwn = JitFocusTest.directives();
    }

    private BuildListener listener() {
        return (level, m) -> {
            log.add(level + " " + m);
            if (m.startsWith("SBOM ")) { // near the end of a cold build, after the downloads
                try {
                    seenAtTheSbom.add(JitFocusTest.directives());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        };
    }

    private DependencyRequest deps(Path project) {
        return new DependencyRequest(new DeclaredRequirements.Request(List.of("fast", "greet"), List.of(), List.of(),
                project.resolve("pyproject.toml"), false, List.of(), List.of(), Map.of()),
                new TargetRequest(new Target.Spec("3.11", null, null, null, List.of("manylinux2014_x86_64"), null),
                        null, List.of(), true, null, null), false, false, project.resolve("pylock.toml"), Map.of());
    }

    private IndexSource sources(TestIndexServer server) {
        return files -> new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                dir.resolve("cache"), 2);
    }

    private BundleService.Outcome bundle(TestIndexServer server, boolean focus) throws Exception {
        Path project = dir.resolve("project");
        Path src = Files.isDirectory(project.resolve("src/main/python")) ? project.resolve("src/main/python")
                : SourceTrees.sample(project);
        log.clear();
        return new BundleService(listener(), new PhaseTimer()).withJitFocus(focus).bundle(
                new BundleService.Request(deps(project), src, src.resolve("main.py"), "app",
                        project.resolve("target"), "app-1.0", Instant.parse("2024-01-01T00:00:00Z"),
                        ProjectPackager.Layout.AUTO, EnvironmentArchiveBuilder.Format.TAR_GZ, List.of(),
                        ProjectPackager.SparkSpec.defaults(), List.of(), List.of(), updateLock, 1L << 30, 1L << 32,
                        Component.of(Component.Type.APPLICATION, "g", "a", "1", "pkg:maven/g/a@1")),
                sources(server));
    }

    private static TestIndexServer slowIndex() throws Exception {
        TestIndexServer server = new TestIndexServer();
        server.add(TestWheels.pure("greet", "2.0"));
        server.add(new TestWheels.Spec("fast", "1.0", "cp311-cp311-manylinux2014_x86_64", List.of(), null,
                Map.of("fast/__init__.py", "VERSION = '1.0'\n")));
        server.delayBodies(150); // a build long enough for the directives to be in place before it ends
        return server;
    }

    @Test
    void aColdBundleHoldsTheDirectivesWhileItRuns_anUnchangedOneNever() throws Exception {
        try (TestIndexServer server = slowIndex()) {
            bundle(server, true);
            assertTrue(log.contains(ADDED), String.join("\n", log));
            assertTrue(log.contains(REMOVED), String.join("\n", log));
            assertEquals(1, seenAtTheSbom.size());
            assertTrue(seenAtTheSbom.get(0).contains("sun/security/provider/*.*"), seenAtTheSbom.get(0));
            assertEquals(jvmOwn, JitFocusTest.directives());

            updateLock = false;
            BundleService.Outcome again = bundle(server, true);
            assertTrue(again.reused(), String.join("\n", log));
            assertFalse(log.stream().anyMatch(m -> m.contains("JIT focus")), String.join("\n", log));
            assertEquals(jvmOwn, JitFocusTest.directives());
        }
    }

    @Test
    void withoutTheFocusTheDirectivesAreNeverTouched() throws Exception {
        try (TestIndexServer server = slowIndex()) {
            bundle(server, false);
            assertEquals(List.of(jvmOwn), seenAtTheSbom);
            assertFalse(log.stream().anyMatch(m -> m.contains("JIT focus")), String.join("\n", log));
        }
    }

    @Test
    void aBundleThatFailsRemovesThemToo() throws Exception {
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(TestWheels.pure("greet", "2.0"));
            server.addFile("fast", CraftedWheel.WRONG_RECORD_HASH, CraftedWheel.nativeWithWrongRecordHash());
            server.delayBodies(150);
            PyBundleException e = assertThrows(PyBundleException.class, () -> bundle(server, true));
            assertTrue(e.getMessage().contains("does not match its RECORD hash"), e.getMessage());
            assertTrue(log.contains(ADDED), String.join("\n", log));
            assertTrue(log.contains(REMOVED), String.join("\n", log));
            assertEquals(jvmOwn, JitFocusTest.directives());
        }
    }

    @Test
    void aLockHoldsThemWhileItResolves() throws Exception {
        try (TestIndexServer server = slowIndex()) {
            Path project = Files.createDirectories(dir.resolve("project"));
            List<String> seenWhenWritten = new CopyOnWriteArrayList<>();
            new LockService((level, m) -> {
                log.add(level + " " + m);
                if (m.startsWith("Wrote ")) {
                    try {
                        seenWhenWritten.add(JitFocusTest.directives());
                    } catch (Exception ex) {
                        throw new AssertionError(ex);
                    }
                }
            }).withJitFocus(true).lock(deps(project), sources(server));
            assertTrue(Files.isRegularFile(project.resolve("pylock.toml")));
            assertTrue(log.contains(ADDED), String.join("\n", log));
            assertTrue(log.contains(REMOVED), String.join("\n", log));
            assertTrue(seenWhenWritten.get(0).contains("sun/security/provider/*.*"), seenWhenWritten.get(0));
            assertEquals(jvmOwn, JitFocusTest.directives());
        }
    }
}

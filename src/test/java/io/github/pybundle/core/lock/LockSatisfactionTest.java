package io.github.pybundle.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.maven.PomWords;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock survives an edit its versions still satisfy, as uv and pip-tools keep theirs: requests 2.31.0 is locked for
 * {@code requests>=2.31,<2.32}; the index also has 2.30.0 and 2.32.0. Checked without the network: after the first
 * lock the index is stopped.
 */
class LockSatisfactionTest {
    @TempDir
    Path dir;

    private TestIndexServer server;
    private IndexConfiguration config;
    private final Target target = Target.of(new Target.Spec("3.11", null, null, null, null, null));
    private final List<String> log = new ArrayList<>();
    private Path lockFile;

    @BeforeEach
    void lockOnce() throws Exception {
        server = new TestIndexServer();
        for (String v : List.of("2.30.0", "2.31.0", "2.32.0")) {
            server.add(TestWheels.pure("requests", v, "idna>=2"));
        }
        server.add(TestWheels.pure("idna", "3.7"));
        server.add(TestWheels.pure("six", "1.16.0"));
        config = new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(), PackageSource.Kind.INDEX,
                "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(), dir.resolve("cache"), 2);
        lockFile = dir.resolve("pylock.toml");
        ensure(List.of("requests>=2.31,<2.32"), List.of(), false);
        server.close(); // every check below is made from the lock alone
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Pylock ensure(List<String> requirements, List<String> constraints, boolean update) throws Exception {
        DeclaredRequirements d = DeclaredRequirements.collect(new DeclaredRequirements.Request(requirements,
                constraints, List.of(), null, false, List.of(), List.of(), Map.of()));
        return new LockedWheels((l, m) -> log.add(m), null).ensure(d, target, Map.of(), false, config, lockFile,
                update);
    }

    private static String version(Pylock lock, String name) {
        return lock.packages().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().version();
    }

    @Test
    void aLooseningEditKeepsTheLockAndRecordsTheNewInputs() throws Exception {
        String before = Files.readString(lockFile);
        Pylock kept = ensure(List.of("requests>=2.30,<2.32"), List.of(), false);
        assertEquals("2.31.0", version(kept, "requests"));
        assertTrue(log.contains("Kept the locked versions of " + lockFile + ": they still satisfy the changed"
                + " requirements (requirements: added [requests<2.32,>=2.30], removed [requests<2.32,>=2.31]); no"
                + " version changed"), log.toString());
        String after = Files.readString(lockFile);
        assertTrue(after.contains("requests<2.32,>=2.30") && !after.contains("requests<2.32,>=2.31"), after);
        assertEquals(before.replace("requests<2.32,>=2.31", "requests<2.32,>=2.30"), after, "only the inputs changed");
        // ... and the next build uses it as it is.
        log.clear();
        ensure(List.of("requests>=2.30,<2.32"), List.of(), false);
        assertTrue(log.get(0).startsWith("Using " + lockFile), log.toString());

        // A constraint the locked versions meet, and a marker that leaves a requirement out, keep it too.
        ensure(List.of("requests>=2.30,<2.32", "six; sys_platform == 'win32'"), List.of("idna<4"), false);
    }

    @Test
    void anEditThatExcludesTheLockedVersionSaysWhichAndWhy() {
        InvalidLockException e = assertThrows(InvalidLockException.class, () -> ensure(List.of("requests>=2.32"),
                List.of(), false));
        assertEquals(lockFile + " is out of date: requirements: added [requests>=2.32], removed"
                + " [requests<2.32,>=2.31]; requests 2.31.0 (locked) does not satisfy the requirement requests>=2.32"
                + " (<requirements> entry 1)", PomWords.render(e.getMessage()));
        InvalidLockException constraint = assertThrows(InvalidLockException.class, () -> ensure(List.of(
                "requests>=2.31,<2.32"), List.of("idna<3"), false));
        assertTrue(PomWords.render(constraint.getMessage()).endsWith("; idna 3.7 (locked) does not satisfy the"
                + " constraint idna<3 (<constraints> entry 1)"), PomWords.render(constraint.getMessage()));
    }

    @Test
    void aNewProjectOrExtraNeedsARelock() {
        // six may need packages the lock does not have (here it would not, but the lock alone cannot tell).
        InvalidLockException added = assertThrows(InvalidLockException.class, () -> ensure(List.of(
                "requests>=2.31,<2.32", "six"), List.of(), false));
        assertEquals(lockFile + " is out of date: requirements: added [six]", added.getMessage());
        assertThrows(InvalidLockException.class, () -> ensure(List.of("requests[socks]>=2.31,<2.32"), List.of(),
                false));
    }

    @Test
    void updateLock_printsWhatChanged() throws Exception {
        TestIndexServer again = new TestIndexServer();
        try {
            for (String v : List.of("2.30.0", "2.31.0", "2.32.0")) {
                again.add(TestWheels.pure("requests", v, "idna>=2"));
            }
            again.add(TestWheels.pure("idna", "3.7"));
            config = new IndexConfiguration(List.of(PackageSource.of("test", again.indexUrl(),
                    PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                    dir.resolve("cache"), 2);
            Pylock relocked = ensure(List.of("requests>=2.32"), List.of(), true);
            assertEquals("2.32.0", version(relocked, "requests"));
            assertEquals("Changed: requests 2.31.0 -> 2.32.0", log.get(log.size() - 1));
        } finally {
            again.close();
        }
    }
}

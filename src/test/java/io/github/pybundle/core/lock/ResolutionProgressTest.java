package io.github.pybundle.core.lock;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A slow index: resolution says every few seconds that it is moving, and where, instead of staying silent. */
class ResolutionProgressTest {
    @TempDir
    Path dir;

    @Test
    void aSlowResolutionPrintsProgressLines() throws Exception {
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(TestWheels.pure("app", "1.0", "dep>=1"));
            server.add(TestWheels.pure("dep", "1.0", "leaf"));
            server.add(TestWheels.pure("leaf", "1.0"));
            server.delayBodies(1200); // every page and metadata file
            IndexConfiguration config = new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                    PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                    dir.resolve("cache"), 2);
            DeclaredRequirements d = DeclaredRequirements.collect(new DeclaredRequirements.Request(List.of("app"),
                    List.of(), List.of(), null, false, List.of(), List.of(), Map.of()));
            List<String> log = new CopyOnWriteArrayList<>();
            new Locker((l, m) -> log.add(m)).lock(d, Target.of(new Target.Spec("3.11", null, null, null, null,
                    null)), Map.of(), false, config, dir.resolve("pylock.toml"), null);
            String progress = log.stream().filter(m -> m.startsWith("Resolving for cp311 / manylinux2014_x86_64 ("))
                    .findFirst().orElse(null);
            assertTrue(progress != null && progress.matches("Resolving for cp311 / manylinux2014_x86_64 \\(\\d+ s\\):"
                    + " \\d+ of \\d+ project pages read, \\d+ candidate versions examined(, now [a-z]+ 1\\.0)?"), log
                    .toString());
            assertTrue(log.get(log.size() - 1).startsWith("Resolved 3 packages"), log.toString());
        }
    }
}

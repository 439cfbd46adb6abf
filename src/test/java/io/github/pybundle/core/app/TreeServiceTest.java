package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.lock.Locker;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.maven.PomWords;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pybundle:tree} shows what the bundle uses: the lock, when it is current (read without the network), and with
 * a refresh a new resolution with each difference from the lock marked.
 */
class TreeServiceTest {
    @TempDir
    Path dir;

    @Test
    void theTreeIsTheLocksUntilARefreshMarksWhatANewResolutionWouldChange() throws Exception {
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(TestWheels.pure("app", "1.0", "dep>=1"));
            server.add(TestWheels.pure("dep", "1.0"));
            IndexConfiguration config = new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                    PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                    dir.resolve("cache"), 2);
            DeclaredRequirements.Request declared = new DeclaredRequirements.Request(List.of("app"), List.of(),
                    List.of(), null, false, List.of(), List.of(), Map.of());
            Target.Spec spec = new Target.Spec("3.11", null, null, null, null, null);
            Path lockFile = dir.resolve("pylock.toml");
            DependencyRequest request = new DependencyRequest(declared, new TargetRequest(spec, null, List.of(),
                    false, null, null), false, false, lockFile, Map.of());
            new Locker(BuildListener.silent()).lock(DeclaredRequirements.collect(declared), Target.of(spec), Map.of(),
                    false, config, lockFile, null).lock().write(lockFile);

            server.add(TestWheels.pure("dep", "2.0")); // newer than the lock
            int before = server.requests().size();
            List<String> log = new ArrayList<>();
            List<String> locked = new TreeService((l, m) -> log.add(m)).tree(request, files -> config, false).stream()
                    .map(PomWords::render).toList();
            assertEquals(List.of("app 1.0  <- app (<requirements> entry 1)", "`-- dep 1.0  (required by app)"), locked);
            assertEquals(before, server.requests().size(), "read from the lock, without the network");
            assertEquals("Dependencies for cp311 / manylinux2014_x86_64, as locked in " + lockFile + " (what the"
                    + " bundle uses; {#refresh} resolves afresh):", log.get(0));

            List<String> fresh = new TreeService(BuildListener.silent()).tree(request, files -> config, true).stream()
                    .map(PomWords::render).toList();
            assertEquals(List.of("app 1.0  <- app (<requirements> entry 1)",
                    "`-- dep 2.0  (dep>=1)  [locked: 1.0]"), fresh);
        }
    }
}

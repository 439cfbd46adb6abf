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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On an index far away, round trips one after another are what a resolution waits for: the root requirements'
 * pages are asked for together, and the metadata of each project's newest wheel, with its dependencies' pages, is read
 * ahead of the resolver.
 */
class ReadAheadTest {
    @TempDir
    Path dir;

    @Test
    void theRootsPagesAreAskedForTogether_andEachPagesNewestMetadataAsSoonAsItArrives() throws Exception {
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(TestWheels.pure("alpha", "1.0", "deep"));
            server.add(TestWheels.pure("beta", "1.0"));
            server.add(TestWheels.pure("gamma", "1.0"));
            server.add(TestWheels.pure("deep", "1.0"));
            server.delayBodies(300); // every response waits: a request made meanwhile was made ahead
            IndexConfiguration config = new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                    PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                    dir.resolve("cache"), 2);
            DeclaredRequirements d = DeclaredRequirements.collect(new DeclaredRequirements.Request(List.of("alpha",
                    "beta", "gamma"), List.of(), List.of(), null, false, List.of(), List.of(), Map.of()));
            new Locker((l, m) -> { }).lock(d, Target.of(new Target.Spec("3.11", null, null, null, null, null)),
                    Map.of(), false, config, dir.resolve("pylock.toml"), null);
            List<String> paths = server.requests().stream().map(TestIndexServer.Request::path).toList();
            int firstMetadata = indexOf(paths, ".metadata");
            for (String root : List.of("/simple/alpha/", "/simple/beta/", "/simple/gamma/")) {
                assertTrue(paths.indexOf(root) >= 0 && paths.indexOf(root) < firstMetadata,
                        root + " is asked for before any metadata: " + paths);
            }
            // Each root's metadata is asked for as soon as its page is there, all three before deep's page (which
            // needs alpha's metadata first): the resolver, one project at a time, would have asked for deep's page
            // before beta's metadata.
            int deep = paths.indexOf("/simple/deep/");
            for (String root : List.of("alpha", "beta", "gamma")) {
                int metadata = indexOf(paths, root + "-1.0-py3-none-any.whl.metadata");
                assertTrue(metadata >= 0 && metadata < deep, root + "'s metadata before deep's page: " + paths);
            }
        }
    }

    private static int indexOf(List<String> paths, String suffix) {
        for (int i = 0; i < paths.size(); i++) {
            if (paths.get(i).endsWith(suffix)) {
                return i;
            }
        }
        return -1;
    }
}

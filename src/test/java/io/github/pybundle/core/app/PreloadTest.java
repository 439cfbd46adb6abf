package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.net.NetworkSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The TLS stack is made ahead only for a build that may read a source over HTTPS. */
class PreloadTest {
    private static IndexConfiguration config(boolean offline, String index, String... findLinks) {
        List<PackageSource> links = java.util.Arrays.stream(findLinks).map(l -> PackageSource.of("fl", l,
                PackageSource.Kind.FIND_LINKS, "findLinks")).toList();
        return new IndexConfiguration(index == null ? List.of() : List.of(PackageSource.of("pypi", index,
                PackageSource.Kind.INDEX, "indexUrl")), links, Map.of(),
                NetworkSettings.defaults().withOffline(offline), Path.of("cache"), 4);
    }

    @Test
    void anHttpsIndexOrFindLinksPageIsReadOverTls() {
        assertTrue(Preload.readsOverTls(config(false, "https://pypi.org/simple/")));
        assertTrue(Preload.readsOverTls(config(false, null, "/opt/wheels", "HTTPS://wheels.example/links.html")));
    }

    @Test
    void plainHttpLocalDirectoriesAndOfflineBuildsAreNot() {
        assertFalse(Preload.readsOverTls(config(false, "http://127.0.0.1:8765/simple/", "/opt/wheels")));
        assertFalse(Preload.readsOverTls(config(true, "https://pypi.org/simple/")),
                "offline: only the cache is read");
        assertFalse(Preload.readsOverTls(config(false, null)));
    }
}

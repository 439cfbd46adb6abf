package io.github.pybundle.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.cache.FileCache;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.net.FetchException;
import io.github.pybundle.core.net.HttpFetcher;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.dist.WheelFilename;
import io.github.pybundle.core.spec.metadata.CoreMetadataFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real wheels from the index this machine's pip uses (its pip.conf and PIP_* variables, else the public index):
 * metadata through PEP 658, a verified download, then the same file offline from the cache. Skipped with the reason
 * when the index cannot be reached on a developer machine; in CI ({@code CI} set) that is a failure.
 */
class PublicIndexTest {
    @TempDir
    Path dir;

    @Test
    void realIndex_metadataDownloadAndOfflineReuse() throws Exception {
        PipConfiguration pip = PipConfiguration.load(System.getenv(), System.getProperty("user.home"));
        String url = pip.indexUrl() != null ? pip.indexUrl() : PackageSource.DEFAULT_INDEX;
        PackageSource index = PackageSource.of("pip-index", url, PackageSource.Kind.INDEX, "indexUrl");
        NetworkSettings settings = NetworkSettings.defaults().withTimeouts(Duration.ofSeconds(20),
                Duration.ofSeconds(pip.timeoutSeconds() > 0 ? pip.timeoutSeconds() : 60));
        if (pip.cert() != null) {
            settings = settings.withCaCertificates(Path.of(pip.cert()));
        }
        List<String> log = new ArrayList<>();
        BuildListener listener = (level, message) -> log.add(message);
        HttpFetcher http = new HttpFetcher(settings, listener);
        IndexClient client = new IndexClient(http, dir, settings, listener);
        ProjectPage page;
        try {
            page = client.project(index, "six");
        } catch (FetchException e) {
            if (System.getenv("CI") != null) {
                Assertions.fail("CI must reach the package index " + url + ": " + e.getMessage());
            }
            Assumptions.abort("Skipped: the package index " + url + " is not reachable: " + e.getMessage());
            return;
        }
        DistributionFile wheel = page.files().stream()
                .filter(f -> f.filename().equals("six-1.16.0-py2.py3-none-any.whl")).findFirst().orElseThrow();
        assertTrue(wheel.sha256().matches("[0-9a-f]{64}"), "the index states a sha256");
        Downloader downloader = new Downloader(http, new FileCache(dir, listener), settings, listener, 2, id -> index);
        MetadataFetcher fetcher = new MetadataFetcher(client, downloader, id -> index, settings, listener);
        CoreMetadataFile md = fetcher.metadata(wheel);
        assertEquals(0, fetcher.wholeWheels(), "metadata came from a PEP 658 file or ranges, not the wheel");
        assertEquals("six", md.name());
        assertEquals("1.16.0", md.version().toString());
        Path file = downloader.fetch(new Downloader.Request(wheel, null));
        assertEquals(wheel.sha256(), Digests.sha256Hex(file));
        assertEquals("six", WheelFilename.parse(file.getFileName().toString()).name());

        NetworkSettings offline = settings.withOffline(true);
        IndexClient offlineClient = new IndexClient(new HttpFetcher(offline, listener), dir, offline, listener);
        DistributionFile again = offlineClient.project(index, "six").files().stream()
                .filter(f -> f.filename().equals(wheel.filename())).findFirst().orElseThrow();
        assertEquals(file, new Downloader(http, new FileCache(dir, listener), offline, listener, 1, id -> index)
                .fetch(new Downloader.Request(again, null)));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Downloaded from pip-index: ")), log.toString());
    }
}

package io.github.pybundle.core.index;

import io.github.pybundle.core.cache.FileCache;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.net.HttpFetcher;
import io.github.pybundle.core.net.NetworkSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Wires the index classes for tests, with a recorded log and no real waiting between retries. */
final class IndexTestSupport {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final BuildListener listener = (level, message) -> log.add(level + " " + message);
    final List<Long> sleeps = Collections.synchronizedList(new ArrayList<>());
    final NetworkSettings settings;
    final HttpFetcher http;
    final FileCache cache;
    final IndexClient client;

    IndexTestSupport(Path cacheRoot, NetworkSettings settings) {
        this.settings = settings;
        this.http = new HttpFetcher(settings, listener, sleeps::add);
        this.cache = new FileCache(cacheRoot, listener, Duration.ofSeconds(30));
        this.client = new IndexClient(http, cacheRoot, settings, listener);
    }

    IndexTestSupport(Path cacheRoot) {
        this(cacheRoot, NetworkSettings.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(800))
                .withRetries(2, Duration.ofMillis(10)));
    }

    PackageFinder finder(List<PackageSource> indexes) {
        return new PackageFinder(indexes, List.of(), Map.of(), client);
    }

    Downloader downloader(List<PackageSource> sources) {
        return downloader(sources, 4);
    }

    Downloader downloader(List<PackageSource> sources, int threads) {
        return new Downloader(http, cache, settings, listener, threads, id -> sources.stream()
                .filter(s -> s.id().equals(id)).findFirst().orElse(null));
    }

    MetadataFetcher metadata(List<PackageSource> sources) {
        return new MetadataFetcher(client, downloader(sources), id -> sources.stream()
                .filter(s -> s.id().equals(id)).findFirst().orElse(null), settings, listener);
    }

    String logText() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }
}

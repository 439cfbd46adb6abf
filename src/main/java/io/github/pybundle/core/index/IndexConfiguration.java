package io.github.pybundle.core.index;

import io.github.pybundle.core.cache.FileCache;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.net.HttpFetcher;
import io.github.pybundle.core.net.NetworkSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to fetch distributions: the sources in order, pins, network behaviour, and the shared cache.
 *
 * @param indexes simple-API indexes, first preferred
 * @param findLinks find-links directories and pages
 * @param pins normalised project name → index id
 * @param network timeouts, retries, proxies, offline
 * @param cacheRoot the shared cache directory
 * @param downloadThreads how many files are downloaded at once
 */
public record IndexConfiguration(List<PackageSource> indexes, List<PackageSource> findLinks, Map<String, String> pins,
                                 NetworkSettings network, Path cacheRoot, int downloadThreads) {
    public IndexConfiguration {
        indexes = List.copyOf(indexes);
        findLinks = List.copyOf(findLinks);
        pins = Map.copyOf(pins);
    }

    /** The wired services for this configuration. */
    public Repository open(BuildListener listener) {
        return new Repository(this, listener);
    }

    /** The finder, downloader and metadata reader of one configuration, sharing one HTTP client and cache. */
    public static final class Repository {
        private final PackageFinder finder;
        private final Downloader downloader;
        private final MetadataFetcher metadata;
        private final BuildListener listener;

        Repository(IndexConfiguration c, BuildListener listener) {
            this.listener = listener;
            HttpFetcher http = new HttpFetcher(c.network(), listener);
            IndexClient client = new IndexClient(http, c.cacheRoot(), c.network(), listener);
            this.finder = new PackageFinder(c.indexes(), c.findLinks(), c.pins(), client);
            this.downloader = new Downloader(http, new FileCache(c.cacheRoot(), listener), c.network(), listener,
                    c.downloadThreads(), finder::source);
            this.metadata = new MetadataFetcher(client, downloader, finder::source, c.network(), listener);
        }

        public PackageFinder finder() {
            return finder;
        }

        public Downloader downloader() {
            return downloader;
        }

        public MetadataFetcher metadata() {
            return metadata;
        }

        /** Where what this repository does is reported (and the work it does timed). */
        public BuildListener listener() {
            return listener;
        }
    }
}

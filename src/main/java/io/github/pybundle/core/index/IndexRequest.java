package io.github.pybundle.core.index;

import io.github.pybundle.core.cache.FileCache;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.net.Credentials;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.net.ProxySpec;
import io.github.pybundle.core.requirements.RequirementsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the user says about package sources and the network, as the build tool hands it over: the project's own
 * index settings, and what the tool's user settings hold (credentials by source id, proxies, offline mode).
 *
 * @param indexes the project's indexes, each with an id and a URL
 * @param indexUrl the project's single index URL, or null
 * @param findLinks the project's find-links locations
 * @param pins normalised project name → index id
 * @param allowInsecure whether plain-http indexes are accepted
 * @param offline whether only the cache may be used
 * @param downloadThreads how many files are downloaded at once
 * @param deadline the longest one request may take in all
 * @param cacheDirectory the cache, or null for the default
 * @param credentials the credentials of a source id from the user's settings, or null
 * @param proxies the user's proxies
 */
public record IndexRequest(List<SourceSelection.IndexSpec> indexes, String indexUrl, List<String> findLinks,
                           Map<String, String> pins, boolean allowInsecure, boolean offline, int downloadThreads,
                           Duration deadline, Path cacheDirectory, Function<String, Credentials> credentials,
                           List<ProxySpec> proxies) {
    public IndexRequest {
        indexes = indexes == null ? List.of() : List.copyOf(indexes);
        findLinks = findLinks == null ? List.of() : List.copyOf(findLinks);
        pins = pins == null ? Map.of() : Map.copyOf(pins);
        proxies = proxies == null ? List.of() : List.copyOf(proxies);
    }

    /**
     * The configuration for a build whose requirements files are {@code files}: the sources chosen as
     * {@link SourceSelection} says, credentials attached by id, pip's configuration for what the project leaves
     * open (timeout, CA certificates).
     */
    public IndexConfiguration configure(List<RequirementsFile> files, Map<String, String> env, String userHome,
                                        BuildListener listener) throws IOException {
        PipConfiguration pip = PipConfiguration.load(env, userHome);
        SourceSelection.Result chosen = SourceSelection.choose(indexes, indexUrl, findLinks, files, pip);
        List<PackageSource> sources = new ArrayList<>();
        for (PackageSource s : chosen.indexes()) {
            if (s.credentials() != null) {
                listener.log(Level.WARN, "The URL of index '" + s.id() + "' carries a password; the build tool's"
                        + " own parameter dump and shell history can show it. Put it in a {%settings} {@server} with"
                        + " the {@id} " + s.id() + " and remove it from the URL.");
            }
            sources.add(s.withCredentials(credentials.apply(s.id())));
        }
        NetworkSettings network = NetworkSettings.defaults().withOffline(offline).withAllowInsecure(allowInsecure)
                .withProxies(proxies).withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(
                        pip.timeoutSeconds() > 0 ? pip.timeoutSeconds() : 60)).withDeadline(deadline);
        if (pip.cert() != null) {
            network = network.withCaCertificates(Path.of(pip.cert()));
        }
        Path cache = cacheDirectory != null ? cacheDirectory : FileCache.defaultRoot(env, userHome);
        listener.log(Level.DEBUG, "Package sources (" + chosen.origin() + "): " + sources + ", find-links: "
                + chosen.findLinks());
        return new IndexConfiguration(sources, chosen.findLinks(), pins, network, cache, downloadThreads);
    }
}

package io.github.pybundle.core.index;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.cache.OfflineMissException;
import io.github.pybundle.core.cache.PageCache;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.net.FetchException;
import io.github.pybundle.core.net.HttpFetcher;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.net.Secrets;
import io.github.pybundle.core.spec.dist.SdistFilename;
import io.github.pybundle.core.spec.dist.WheelFilename;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads what one source offers for a project: an index's project page (re-validated against the page cache, or from
 * the cache alone when offline), a local find-links directory, or a flat find-links page.
 */
public final class IndexClient {
    private final HttpFetcher http;
    private final PageCache pages;
    private final NetworkSettings settings;
    private final BuildListener listener;

    public IndexClient(HttpFetcher http, Path cacheRoot, NetworkSettings settings, BuildListener listener) {
        this.http = http;
        this.pages = new PageCache(cacheRoot);
        this.settings = settings;
        this.listener = listener;
    }

    /** The source's files for a project (normalised name), or null when the source does not have it. */
    public ProjectPage project(PackageSource source, String name) throws IOException {
        if (source.kind() == PackageSource.Kind.FIND_LINKS) {
            boolean local = "file".equals(source.url().getScheme());
            if (local && !Files.exists(Path.of(source.url()))) {
                listener.log(Level.DEBUG, "Find-links location " + source.url() + " does not exist; ignored");
                return null; // as pip: a missing find-links location is skipped
            }
            List<DistributionFile> files = local && Files.isDirectory(Path.of(source.url())) ? directory(source)
                    : flatPage(source);
            List<DistributionFile> mine = files.stream().filter(f -> name.equals(projectOf(f.filename()))).toList();
            return mine.isEmpty() ? null : new ProjectPage(name, source.id(), mine);
        }
        URI url = source.projectUrl(name);
        Fetched page = fetchPage(url, source);
        if (page == null) {
            return null;
        }
        List<String> ignored = new ArrayList<>();
        List<DistributionFile> files = listener.timing("page parsing", () -> SimplePageParser.parse(page.body(),
                page.contentType(), url, source.id(), ignored));
        reportIgnored(url, ignored);
        return new ProjectPage(name, source.id(), files);
    }

    private void reportIgnored(URI page, List<String> ignored) {
        if (!ignored.isEmpty()) {
            listener.log(Level.WARN, "Ignored " + ignored.size() + " unsafe link" + (ignored.size() == 1 ? "" : "s")
                    + " on " + Secrets.mask(page) + ": " + String.join("; ", ignored));
        }
    }

    private record Fetched(byte[] body, String contentType) {
    }

    private Fetched fetchPage(URI url, PackageSource source) throws IOException {
        String key = url.toString();
        PageCache.Entry cached = listener.timing("index cache reads", () -> pages.get(key));
        if (settings.offline()) {
            if (cached == null) {
                throw new OfflineMissException("the index page " + Secrets.mask(url) + " of '" + source.id() + "'");
            }
            return cached.status() == 404 ? null : new Fetched(cached.body(), cached.contentType());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", SimplePageParser.ACCEPT);
        if (cached != null && cached.status() == 200) {
            if (cached.etag() != null) {
                headers.put("If-None-Match", cached.etag());
            }
            if (cached.lastModified() != null) {
                headers.put("If-Modified-Since", cached.lastModified());
            }
        }
        HttpFetcher.Response r = listener.timing("index requests", () -> http.get(url, source.credentialsFor(url),
                headers));
        if (r.status() == 304 && cached != null) {
            listener.log(Level.DEBUG, "Index page unchanged: " + Secrets.mask(url));
            return new Fetched(cached.body(), cached.contentType());
        }
        if (r.status() == 404) {
            pages.put(key, new PageCache.Entry(404, null, null, null, new byte[0]));
            return null;
        }
        listener.timing("index cache writes", () -> {
            pages.put(key, new PageCache.Entry(200, r.header("content-type"), r.header("etag"),
                    r.header("last-modified"), r.body()));
            return null;
        });
        return new Fetched(r.body(), r.header("content-type"));
    }

    private List<DistributionFile> directory(PackageSource source) throws IOException {
        List<DistributionFile> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(Path.of(source.url()))) {
            for (Path p : (Iterable<Path>) list.sorted()::iterator) {
                String n = p.getFileName().toString();
                if (Files.isRegularFile(p) && (n.endsWith(".whl") || n.endsWith(".tar.gz") || n.endsWith(".zip"))) {
                    files.add(new DistributionFile(n, p.toUri(), Map.of(), null, null, null, Files.size(p),
                            source.id()));
                }
            }
        }
        List<String> ignored = new ArrayList<>();
        List<DistributionFile> usable = SimplePageParser.usable(files, source.url(), ignored);
        reportIgnored(source.url(), ignored);
        return usable;
    }

    private List<DistributionFile> flatPage(PackageSource source) throws IOException {
        Fetched page = fetchPage(source.url(), source);
        if (page == null) {
            return List.of();
        }
        List<String> ignored = new ArrayList<>();
        List<DistributionFile> files = SimplePageParser.usable(SimplePageParser.html(page.body(), source.url(),
                source.id(), ignored), source.url(), ignored);
        reportIgnored(source.url(), ignored);
        return files;
    }

    /** The normalised project of a distribution file name, or null when the name is not a distribution's. */
    static String projectOf(String filename) {
        try {
            return filename.endsWith(".whl") ? WheelFilename.parse(filename).name()
                    : SdistFilename.parse(filename).name();
        } catch (PyBundleException e) {
            return null;
        }
    }

    /** Fetches a small file (a PEP 658 metadata file) through the page cache. */
    byte[] small(URI url, PackageSource source) throws IOException {
        Fetched f = fetchPage(url, source);
        if (f == null) {
            throw new FetchException("not found (404): " + Secrets.mask(url), 404,
                    "the index lists a metadata file it does not serve");
        }
        return f.body();
    }

    HttpFetcher http() {
        return http;
    }
}

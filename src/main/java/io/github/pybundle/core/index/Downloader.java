package io.github.pybundle.core.index;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.cache.FileCache;
import io.github.pybundle.core.cache.HashMismatchException;
import io.github.pybundle.core.cache.OfflineMissException;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.net.Credentials;
import io.github.pybundle.core.net.HttpFetcher;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.net.Secrets;
import io.github.pybundle.core.spec.dist.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Fetches distribution files into the shared cache, several at a time, each streamed to disk with its sha256
 * computed on the way and compared to the expected digest (the lock's, else the index's) before it is kept.
 */
public final class Downloader {
    /**
     * One file to fetch.
     *
     * @param file the file as the index lists it
     * @param expectedSha256 the digest it must have (from the lock), or null to use the index's
     */
    public record Request(DistributionFile file, String expectedSha256) {
    }

    private final HttpFetcher http;
    private final FileCache cache;
    private final NetworkSettings settings;
    private final BuildListener listener;
    private final int threads;
    private final Function<String, PackageSource> sources;

    public Downloader(HttpFetcher http, FileCache cache, NetworkSettings settings, BuildListener listener, int threads,
                      Function<String, PackageSource> sources) {
        this.http = http;
        this.cache = cache;
        this.settings = settings;
        this.listener = listener;
        this.threads = Math.max(1, threads);
        this.sources = sources;
    }

    /** Work done on each file as soon as it is fetched, on the thread that fetched it. */
    @FunctionalInterface
    public interface WhenReady {
        void accept(Path file) throws IOException;

        /** Nothing. */
        static WhenReady nothing() {
            return f -> { };
        }
    }

    /** Fetches every file; returns file name → verified local path, in request order. */
    public Map<String, Path> download(List<Request> requests) throws IOException {
        return download(requests, WhenReady.nothing());
    }

    /**
     * Fetches every file and runs {@code whenReady} on each as soon as it is in place, several at a time (checking a
     * wheel while others still arrive); returns file name → verified local path, in request order. The largest files
     * start first (where the sizes are known): the work on the largest wheel, inflating every file it holds, is what
     * ends last when it starts last. Large set (torch with the CUDA wheels, 3.1 GB), where torch's is the longest,
     * in request order (alphabetical) it started when most others were done and ran alone on one core.
     */
    public Map<String, Path> download(List<Request> requests, WhenReady whenReady) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, requests.size())), r -> {
            Thread t = new Thread(r, "pybundle-download");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Path>> futures = new ArrayList<>(java.util.Collections.nCopies(requests.size(), null));
            for (int i : largestFirst(requests)) {
                Request r = requests.get(i);
                futures.set(i, pool.submit(() -> {
                    Path p = fetch(r);
                    whenReady.accept(p);
                    return p;
                }));
            }
            for (int i = 0; i < requests.size(); i++) {
                out.put(requests.get(i).file().filename(), await(futures.get(i)));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The requests' indexes, largest file first; unknown sizes last, ties in request order. */
    static List<Integer> largestFirst(List<Request> requests) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            order.add(i);
        }
        order.sort(java.util.Comparator.comparingLong((Integer i) -> -Math.max(0, requests.get(i).file().size())));
        return order;
    }

    private static Path await(Future<Path> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof PyBundleException pe) {
                throw pe;
            }
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException(c);
        }
    }

    /** Fetches one file (or finds it in the cache) and returns its verified path. */
    public Path fetch(Request r) throws IOException {
        DistributionFile f = r.file();
        String indexHash = f.sha256();
        if (r.expectedSha256() != null && indexHash != null
                && !r.expectedSha256().equalsIgnoreCase(indexHash)) {
            throw new HashMismatchException(f.filename() + " (the index now lists another file than the lock)",
                    r.expectedSha256().toLowerCase(Locale.ROOT), indexHash);
        }
        String expected = r.expectedSha256() != null ? r.expectedSha256() : indexHash;
        if ("file".equals(f.url().getScheme())) {
            Path local = Path.of(f.url());
            if (expected != null && !Digests.sha256Hex(local).equals(expected.toLowerCase(Locale.ROOT))) {
                throw new HashMismatchException(local.toString(), expected, Digests.sha256Hex(local));
            }
            return local;
        }
        PackageSource source = sources.apply(f.sourceId());
        Credentials credentials = source == null ? null : source.credentialsFor(f.url());
        if (expected == null) {
            return fetchUnhashed(f, credentials);
        }
        Path cached = cache.lookup(expected, f.filename());
        if (cached != null) {
            listener.log(Level.DEBUG, "Using cached " + f.filename());
            return cached;
        }
        if (settings.offline()) {
            throw new OfflineMissException(f.filename() + " (sha256 " + expected + ")");
        }
        return cache.getOrProduce(expected, f.filename(), temp -> {
            long start = System.nanoTime();
            HttpFetcher.Download d = http.download(f.url(), credentials, temp);
            report(f, d.size(), start);
            return HexFormat.of().formatHex(d.sha256());
        });
    }

    // An index that gives no digest (an HTML page without #sha256=): the transport is all we can trust.
    private Path fetchUnhashed(DistributionFile f, Credentials credentials) throws IOException {
        if (settings.offline()) {
            throw new OfflineMissException(f.filename() + " (the index gives no sha256 to find it by)");
        }
        Files.createDirectories(cache.root());
        Path temp = Files.createTempFile(cache.root(), ".unhashed", ".part");
        try {
            long start = System.nanoTime();
            HttpFetcher.Download d = http.download(f.url(), credentials, temp);
            report(f, d.size(), start);
            String sha = HexFormat.of().formatHex(d.sha256());
            listener.log(Level.WARN, "The index gives no sha256 for " + f.filename() + "; recorded " + sha);
            return cache.getOrProduce(sha, f.filename(), t -> {
                Files.copy(temp, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return sha;
            });
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void report(DistributionFile f, long size, long startNanos) {
        listener.timed("file downloads", System.nanoTime() - startNanos);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        listener.log(Level.INFO, String.format(Locale.ROOT, "Downloaded from %s: %s (%s in %.1f s)", f.sourceId(),
                Secrets.mask(f.url()), humanSize(size), seconds));
    }

    /** {@code 17.3 MB}, {@code 512 kB}, {@code 12 B}. */
    public static String humanSize(long bytes) {
        if (bytes >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        if (bytes >= 1_000) {
            return String.format(Locale.ROOT, "%.0f kB", bytes / 1e3);
        }
        return bytes + " B";
    }
}

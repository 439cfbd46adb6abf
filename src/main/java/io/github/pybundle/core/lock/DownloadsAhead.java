package io.github.pybundle.core.lock;

import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.index.DistributionFile;
import io.github.pybundle.core.index.Downloader;
import io.github.pybundle.core.resolve.Candidate;
import io.github.pybundle.core.resolve.Lookahead;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.core.wheel.WheelVerifier;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Downloads the wheel of each candidate the resolver takes while the resolution goes on, and hands it to the checks
 * under way ({@link WheelVerifier.Ahead}), so that the network and the second core work while the resolver waits for
 * pages and metadata: by the time the lock is written, most wheels of the bundle are in the cache and checked or
 * being checked, and the download that follows finds them there (the cache lets one thread fetch a file at a time;
 * another asking for it waits and then finds it).
 *
 * <p>It only fills the content-addressed cache, under the digest the index gives (a file without one is left for the
 * download), and a check started here is the one the bundle awaits for that file; nothing else is trusted from it.
 * What fails here (a lost connection, a hash that does not match) is forgotten, its warnings only logged at debug
 * level: the download fetches that file again and reports the failure where it belongs. Once the lock is known,
 * {@link #keepOnly} stops what it does not hold; a wheel the resolver dropped that was fetched already stays in the
 * cache unused (its check, if it started, is wasted work). Projects the bundle leaves out (excluded, or provided by
 * the cluster) are never fetched.
 */
public final class DownloadsAhead implements Lookahead, AutoCloseable {
    /** Downloads at once: the network's work, next to the resolver's own page and metadata requests. */
    private static final int THREADS = 2;

    private final Downloader downloader;
    private final WheelChecks checks;
    private final WheelVerifier.Ahead checking;
    private final BuildListener listener;
    private final Set<String> skipped;
    private final java.util.Map<String, java.util.concurrent.Future<?>> asked = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "pybundle-ahead");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param downloader fetches into the cache
     * @param checks the checks (the user's limits), with the memo the checks remember wheels in
     * @param checking the checks under way, which the bundle awaits before it commits an archive
     * @param skipped projects never fetched ahead (excluded from the bundle, provided by the cluster)
     */
    public DownloadsAhead(Downloader downloader, WheelChecks checks, WheelVerifier.Ahead checking,
                          BuildListener listener, Collection<String> skipped) {
        this.downloader = downloader; // its listener should log warnings at debug level: see quiet()
        this.checks = checks;
        this.checking = checking;
        this.listener = listener;
        this.skipped = skipped.stream().map(n -> ProjectName.normalize(n.strip())).collect(Collectors.toSet());
    }

    @Override
    public void taking(Candidate candidate) {
        DistributionFile f = candidate.file();
        if (candidate.provided() || f == null || !f.isWheel() || f.sha256() == null || f.url() == null
                || !"https".equals(f.url().getScheme()) && !"http".equals(f.url().getScheme())
                || skipped.contains(ProjectName.normalize(candidate.name())) || pool.isShutdown()) {
            return;
        }
        try {
            asked.computeIfAbsent(f.filename(), name -> pool.submit(() -> fetch(f)));
        } catch (RejectedExecutionException closed) {
            // the build is past its resolution: the download does it
        }
    }

    /**
     * Stops fetching (and never starts) what is not one of {@code filenames}, the wheels of the lock: what the
     * resolver took and then dropped.
     */
    public void keepOnly(Collection<String> filenames) {
        Set<String> keep = filenames.stream().filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        asked.forEach((name, future) -> {
            if (!keep.contains(name)) {
                future.cancel(true);
            }
        });
    }

    /** A listener for the downloader of the fetches ahead: their warnings (retries) at debug level, the rest as is. */
    public static BuildListener quiet(BuildListener listener) {
        return new BuildListener() {
            @Override
            public void log(Level level, String message) {
                listener.log(level == Level.WARN ? Level.DEBUG : level, message);
            }

            @Override
            public void timed(String work, long nanos) {
                listener.timed(work, nanos);
            }
        };
    }

    private void fetch(DistributionFile f) {
        try {
            Path wheel = downloader.fetch(new Downloader.Request(f, null));
            checking.submit(wheel, () -> listener.timing("wheel checks", () -> WheelVerifier.verify(wheel, checks)));
        } catch (Exception | LinkageError e) {
            listener.log(Level.DEBUG, "Fetching " + f.filename() + " ahead failed (" + e.getMessage()
                    + "); the download fetches it again");
        }
    }

    /** How many wheels were asked for ahead (before the build was past its resolution). */
    public int asked() {
        return asked.size();
    }

    /**
     * Stops: what has not started never will, what runs is interrupted, and this waits (up to a minute) for it to
     * end. A fetch still writing after that only adds a file under its digest to the cache.
     */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                listener.log(Level.DEBUG, "A download ahead did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

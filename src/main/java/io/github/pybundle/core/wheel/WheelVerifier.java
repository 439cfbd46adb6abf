package io.github.pybundle.core.wheel;

import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.cache.CacheBucket;
import io.github.pybundle.core.cache.FileCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Checks every file of the wheels going into an archive against their RECORD and zip headers (by inflating them on
 * the side, {@link EntryChecker}), several wheels at once, before the archive copies their compressed bytes
 * without looking at them again.
 *
 * <p>A wheel is checked once per content: a {@link Memo} remembers wheels already checked. The memo of a
 * {@link FileCache} trusts only files inside the cache, whose sha256 the cache checks each time it hands one out, so
 * a remembered file has exactly the bytes that were checked.
 */
public final class WheelVerifier {
    /** Remembers which wheels were checked. */
    public interface Memo {
        /** Whether {@code wheel} was checked before and has not changed since. */
        boolean checked(Path wheel);

        /** Records that {@code wheel} passed. */
        void remember(Path wheel) throws IOException;

        /** A memo that remembers nothing: every wheel is checked. */
        static Memo none() {
            return new Memo() {
                @Override
                public boolean checked(Path wheel) {
                    return false;
                }

                @Override
                public void remember(Path wheel) {
                }
            };
        }

        /**
         * A memo kept beside the files of a content-addressed cache: a marker file next to each checked wheel, which
         * later builds see. A file outside the cache can change between builds without notice, so it is remembered
         * only by this memo object, for one build.
         */
        static Memo inCache(Path cacheRoot) {
            Path files = CacheBucket.FILES.in(cacheRoot.toAbsolutePath().normalize());
            java.util.Set<Path> thisBuild = java.util.concurrent.ConcurrentHashMap.newKeySet();
            return new Memo() {
                private Path marker(Path wheel) {
                    Path w = wheel.toAbsolutePath().normalize();
                    return w.startsWith(files) ? w.resolveSibling(w.getFileName() + CacheBucket.CHECKED_MARKER) : null;
                }

                @Override
                public boolean checked(Path wheel) {
                    if (thisBuild.contains(wheel.toAbsolutePath().normalize())) {
                        return true;
                    }
                    Path m = marker(wheel);
                    return m != null && Files.isRegularFile(m);
                }

                @Override
                public void remember(Path wheel) throws IOException {
                    thisBuild.add(wheel.toAbsolutePath().normalize());
                    Path m = marker(wheel);
                    if (m != null) {
                        AtomicFile.write(m, t -> Files.writeString(t, "checked\n"));
                    }
                }
            };
        }
    }


    private WheelVerifier() {
    }

    /** Checks every wheel not remembered by {@code memo}, in parallel; the first failure is thrown. */
    public static void verifyAll(List<Path> wheels, Memo memo) throws IOException {
        verifyAll(wheels, WheelChecks.defaults().withMemo(memo));
    }

    /** Checks every wheel not remembered by {@code checks}' memo, under its limits; the first failure is thrown. */
    public static void verifyAll(List<Path> wheels, WheelChecks checks) throws IOException {
        try (Pending p = start(wheels, checks)) {
            p.await();
        }
    }

    /**
     * Starts checking, on background threads, every wheel not remembered by {@code memo}, so that the caller can
     * write its archive meanwhile and {@link Pending#await() await} the result before committing it.
     */
    public static Pending start(List<Path> wheels, Memo memo) {
        return start(wheels, WheelChecks.defaults().withMemo(memo));
    }

    /** {@link #start(List, Memo)} under the limits of {@code checks}. */
    public static Pending start(List<Path> wheels, WheelChecks checks) {
        Memo memo = checks.memo();
        List<Path> todo = new ArrayList<>(wheels.stream().filter(w -> !memo.checked(w)).toList());
        todo.sort((a, b) -> Long.compare(size(b), size(a))); // largest first: one big wheel must not start last
        int threads = Math.max(1, Math.min(todo.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = todo.isEmpty() ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pybundle-verify");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> futures = new ArrayList<>();
        for (Path w : todo) {
            futures.add(pool.submit(() -> {
                verify(w, checks);
                return null;
            }));
        }
        return new Pending(pool, futures);
    }

    /** Checks under way; closing without awaiting cancels them. */
    public static final class Pending implements AutoCloseable {
        private final ExecutorService pool;
        private final List<Future<?>> futures;

        private Pending(ExecutorService pool, List<Future<?>> futures) {
            this.pool = pool;
            this.futures = futures;
        }

        /** Waits for every check; throws the first failure (in the order the wheels were submitted). */
        public void await() throws IOException {
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    futures.forEach(x -> x.cancel(true));
                    throw rethrow(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while checking wheels", e);
                }
            }
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** Checks one wheel unless {@code memo} remembers it, and remembers it when it passes. */
    public static void verify(Path wheel, Memo memo) throws IOException {
        verify(wheel, WheelChecks.defaults().withMemo(memo));
    }

    /**
     * Checks one wheel under the limits of {@code checks} (the user's zip-bomb limit, not the default) unless its
     * memo remembers it, and remembers it when it passes.
     */
    public static void verify(Path wheel, WheelChecks checks) throws IOException {
        if (!checks.memo().checked(wheel)) {
            verify(wheel, checks.maxInflatedWheel());
            checks.memo().remember(wheel);
        }
    }

    /** Checks every file of one wheel, with the default limit on its inflated size. */
    public static void verify(Path wheel) throws IOException {
        verify(wheel, WheelSource.DEFAULT_MAX_INFLATED);
    }

    private static void verify(Path wheel, long maxInflated) throws IOException {
        try (WheelSource w = WheelSource.open(wheel, maxInflated);
             EntryChecker checker = new EntryChecker()) {
            for (ZipArchiveEntry e : w.files()) {
                checker.check(w, e); // WheelSource admits stored and deflated entries only
            }
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t instanceof IOException io) {
            return io;
        }
        return new IOException(t);
    }
}

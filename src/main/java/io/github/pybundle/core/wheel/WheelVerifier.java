package io.github.pybundle.core.wheel;

import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.cache.CacheBucket;
import io.github.pybundle.core.cache.FileCache;
import io.github.pybundle.core.spec.elf.ElfStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>A wheel is checked once per content: a {@link Memo} remembers wheels already checked, with what their ELF files
 * need ({@link NativeFiles}). The memo of a {@link FileCache} trusts only files inside the cache, whose sha256 the
 * cache checks each time it hands one out, so a remembered file has exactly the bytes that were checked. What the
 * ELF files need is compared with the target on every build ({@link NativeCheck}): that is cheap, and the target
 * may change.
 */
public final class WheelVerifier {
    /** Remembers which wheels were checked, with what their native files need. */
    public interface Memo {
        /**
         * What {@code wheel}'s native files need, when it was checked before and has not changed since; else null.
         */
        NativeFiles recall(Path wheel);

        /** Whether {@code wheel} was checked before and has not changed since. */
        default boolean checked(Path wheel) {
            return recall(wheel) != null;
        }

        /** Records that {@code wheel} passed, and what its native files need. */
        void remember(Path wheel, NativeFiles natives) throws IOException;

        /** A memo that remembers nothing: every wheel is checked. */
        static Memo none() {
            return new Memo() {
                @Override
                public NativeFiles recall(Path wheel) {
                    return null;
                }

                @Override
                public void remember(Path wheel, NativeFiles natives) {
                }
            };
        }

        /** A memo for one build: a wheel checked once is not checked again by the same memo. */
        static Memo inMemory() {
            Map<Path, NativeFiles> thisBuild = new ConcurrentHashMap<>();
            return new Memo() {
                @Override
                public NativeFiles recall(Path wheel) {
                    return thisBuild.get(wheel.toAbsolutePath().normalize());
                }

                @Override
                public void remember(Path wheel, NativeFiles natives) {
                    thisBuild.put(wheel.toAbsolutePath().normalize(), natives);
                }
            };
        }

        /**
         * A memo kept beside the files of a content-addressed cache: a marker file next to each checked wheel, which
         * later builds see, holding what its native files need ({@link NativeFiles#toJson()}). A file outside the
         * cache can change between builds without notice, so it is remembered only by this memo object, for one
         * build. A marker that cannot be read is as none: the wheel is checked again and the marker rewritten.
         */
        static Memo inCache(Path cacheRoot) {
            Path files = CacheBucket.FILES.in(cacheRoot.toAbsolutePath().normalize());
            Map<Path, NativeFiles> thisBuild = new ConcurrentHashMap<>();
            return new Memo() {
                private Path marker(Path wheel) {
                    Path w = wheel.toAbsolutePath().normalize();
                    return w.startsWith(files) ? w.resolveSibling(w.getFileName() + CacheBucket.CHECKED_MARKER) : null;
                }

                @Override
                public NativeFiles recall(Path wheel) {
                    Path w = wheel.toAbsolutePath().normalize();
                    NativeFiles known = thisBuild.get(w);
                    if (known != null) {
                        return known;
                    }
                    Path m = marker(wheel);
                    if (m == null || !Files.isRegularFile(m)) {
                        return null;
                    }
                    try {
                        NativeFiles read = NativeFiles.fromJson(Files.readString(m));
                        thisBuild.put(w, read);
                        return read;
                    } catch (IOException | RuntimeException unreadable) {
                        return null;
                    }
                }

                @Override
                public void remember(Path wheel, NativeFiles natives) throws IOException {
                    thisBuild.put(wheel.toAbsolutePath().normalize(), natives);
                    Path m = marker(wheel);
                    if (m != null) {
                        AtomicFile.write(m, t -> Files.writeString(t, natives.toJson()));
                    }
                }
            };
        }
    }

    private WheelVerifier() {
    }

    /**
     * Checks every wheel not remembered by {@code memo}, in parallel; the first failure is thrown. Native code is read
     * but not checked against a target.
     */
    public static void verifyAll(List<Path> wheels, Memo memo) throws IOException {
        verifyAll(wheels, WheelChecks.defaults().withMemo(memo));
    }

    /**
     * Checks every wheel not remembered by {@code checks}' memo, under its limits; the first failure is thrown. Then
     * the native code of all of them, as the wheels of one output, against the target ({@link NativeCheck}).
     */
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
        Map<Path, Future<NativeFiles>> futures = new LinkedHashMap<>();
        for (Path w : todo) {
            futures.put(w, pool.submit(() -> verify(w, checks)));
        }
        return new Pending(pool, futures, List.copyOf(wheels), checks);
    }

    /**
     * Checks started one by one as the wheels arrive (the downloads hand each wheel over and go on with the next), on
     * one thread per processor, so that the archives can be written while the last ones are still being checked.
     * Whoever needs a wheel checked sees it through {@link #memo()}: a wheel whose check is under way counts as
     * checked for {@link Memo#checked} (nobody starts it again), and {@link Memo#recall} waits for its result. A
     * check that failed throws its failure from {@code recall} (the wheel and entry it names), or, where it failed
     * otherwise (an I/O error, an interrupt), is recalled as none, so that the wheel is checked again where its result
     * is needed. Code running on this pool sees only the memo the checks remember wheels in: a check never waits for
     * itself, nor for checks queued behind it. Closing cancels what is still running or waiting.
     */
    public static final class Ahead implements AutoCloseable {
        private static final ThreadLocal<Boolean> ON_POOL = ThreadLocal.withInitial(() -> false);

        private final java.util.concurrent.ThreadPoolExecutor pool;
        private final Memo base;
        private final Map<Path, Future<NativeFiles>> futures = new ConcurrentHashMap<>();

        /** Checks on one thread per processor, remembered in {@code base}. */
        public Ahead(Memo base) {
            this(base, Runtime.getRuntime().availableProcessors());
        }

        public Ahead(Memo base, int threads) {
            this.base = base;
            // The largest waiting wheel is checked first: the check of the largest one is what ends last when it
            // starts last (large set: torch's took 8 s, alone on one core, after all the others).
            this.pool = new java.util.concurrent.ThreadPoolExecutor(threads, threads, 0L,
                    java.util.concurrent.TimeUnit.MILLISECONDS, new java.util.concurrent.PriorityBlockingQueue<>(),
                    r -> {
                        Thread t = new Thread(() -> {
                            ON_POOL.set(true);
                            r.run();
                        }, "pybundle-verify");
                        t.setDaemon(true);
                        return t;
                    });
        }

        /**
         * Starts {@code check} of {@code wheel}, unless one was started already; the largest waiting goes first. Once
         * closed, nothing starts: the wheel is then checked where its result is needed.
         */
        public void submit(Path wheel, java.util.concurrent.Callable<NativeFiles> check) {
            try {
                futures.computeIfAbsent(wheel.toAbsolutePath().normalize(), w -> {
                    BySize task = new BySize(check, size(w));
                    pool.execute(task);
                    return task;
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // not recorded: nobody waits for it
            }
        }

        private static final class BySize extends java.util.concurrent.FutureTask<NativeFiles>
                implements Comparable<BySize> {
            private final long size;

            BySize(java.util.concurrent.Callable<NativeFiles> check, long size) {
                super(check);
                this.size = size;
            }

            @Override
            public int compareTo(BySize o) {
                return Long.compare(o.size, size);
            }
        }

        /** The memo of the checks under way and of {@code base}, the memo the checks remember wheels in. */
        public Memo memo() {
            return new Memo() {
                @Override
                public NativeFiles recall(Path wheel) {
                    Future<NativeFiles> f = ON_POOL.get() ? null : futures.get(wheel.toAbsolutePath().normalize());
                    if (f == null) {
                        return base.recall(wheel);
                    }
                    try {
                        return f.get();
                    } catch (ExecutionException failed) {
                        if (failed.getCause() instanceof RuntimeException r) {
                            throw r; // the check's own failure, naming the wheel and the entry
                        }
                        return null;
                    } catch (java.util.concurrent.CancellationException cancelled) {
                        return null;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }

                @Override
                public boolean checked(Path wheel) {
                    Future<NativeFiles> f = ON_POOL.get() ? null : futures.get(wheel.toAbsolutePath().normalize());
                    if (f == null) {
                        return base.checked(wheel);
                    }
                    if (!f.isDone()) {
                        return true; // under way: nobody starts it again
                    }
                    try {
                        return recall(wheel) != null;
                    } catch (RuntimeException failed) {
                        return false;
                    }
                }

                @Override
                public void remember(Path wheel, NativeFiles natives) throws IOException {
                    base.remember(wheel, natives);
                }
            };
        }

        @Override
        public void close() {
            pool.shutdownNow(); // first: what is submitted after it is refused, not left queued
            futures.values().forEach(f -> f.cancel(true)); // queued ones too: nobody waits for them forever
        }
    }

    /** Checks under way; closing without awaiting cancels them. */
    public static final class Pending implements AutoCloseable {
        private final ExecutorService pool;
        private final Map<Path, Future<NativeFiles>> futures;
        private final List<Path> wheels;
        private final WheelChecks checks;

        private Pending(ExecutorService pool, Map<Path, Future<NativeFiles>> futures, List<Path> wheels,
                        WheelChecks checks) {
            this.pool = pool;
            this.futures = futures;
            this.wheels = wheels;
            this.checks = checks;
        }

        /**
         * Waits for every check; throws the first failure (in the order the wheels were submitted). Then checks the
         * native code of all the wheels, those checked now and those remembered, against the target.
         */
        public void await() throws IOException {
            Map<Path, NativeFiles> natives = new HashMap<>();
            for (Map.Entry<Path, Future<NativeFiles>> f : futures.entrySet()) {
                try {
                    natives.put(f.getKey(), f.getValue().get());
                } catch (ExecutionException e) {
                    futures.values().forEach(x -> x.cancel(true));
                    throw rethrow(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while checking wheels", e);
                }
            }
            List<NativeCheck.Wheel> all = new ArrayList<>();
            for (Path w : wheels) {
                NativeFiles n = natives.containsKey(w) ? natives.get(w) : checks.memo().recall(w);
                all.add(new NativeCheck.Wheel(w.getFileName().toString(), n != null ? n : verify(w, checks)));
            }
            checks.nativeCheck().check(all, checks.listener());
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** Checks one wheel unless {@code memo} remembers it, and remembers it when it passes. */
    public static NativeFiles verify(Path wheel, Memo memo) throws IOException {
        return verify(wheel, WheelChecks.defaults().withMemo(memo));
    }

    /**
     * Checks one wheel under the limits of {@code checks} (the user's zip-bomb limit, not the default) unless its
     * memo remembers it, and remembers it when it passes. Its native code is read, not checked against the target:
     * that needs the other wheels of the output ({@link #start}).
     *
     * @return what its ELF files need
     */
    public static NativeFiles verify(Path wheel, WheelChecks checks) throws IOException {
        NativeFiles known = checks.memo().recall(wheel);
        if (known != null) {
            return known;
        }
        NativeFiles natives = verify(wheel, checks.maxInflatedWheel());
        checks.memo().remember(wheel, natives);
        return natives;
    }

    /** Checks every file of one wheel, with the default limit on its inflated size; returns what its ELF files need. */
    public static NativeFiles verify(Path wheel) throws IOException {
        return verify(wheel, WheelSource.DEFAULT_MAX_INFLATED);
    }

    private static NativeFiles verify(Path wheel, long maxInflated) throws IOException {
        return verify(wheel, maxInflated, ElfStream.DEFAULT_PREFIX);
    }

    // elfPrefix: what the first pass over an ELF file keeps; negative to read no ELF file (to measure the cost).
    static NativeFiles verify(Path wheel, long maxInflated, int elfPrefix) throws IOException {
        List<NativeFiles.File> natives = new ArrayList<>();
        try (WheelSource w = WheelSource.open(wheel, maxInflated);
             EntryChecker checker = new EntryChecker(elfPrefix)) {
            for (ZipArchiveEntry e : w.files()) {
                NativeFiles.File elf = checker.check(w, e); // WheelSource admits stored and deflated entries only
                if (elf != null) {
                    natives.add(elf);
                }
            }
        }
        return new NativeFiles(natives);
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

package io.github.pybundle.core.bundle;

import io.github.pybundle.core.index.FileCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * the side, {@link VerifiedRawEntry}), several wheels at once, before the archive copies their compressed bytes
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
         * A memo kept beside the files of a content-addressed cache: a marker file next to each checked wheel. Files
         * outside the cache are always checked.
         */
        static Memo inCache(Path cacheRoot) {
            Path files = cacheRoot.toAbsolutePath().normalize().resolve("files");
            return new Memo() {
                private Path marker(Path wheel) {
                    Path w = wheel.toAbsolutePath().normalize();
                    return w.startsWith(files) ? w.resolveSibling(w.getFileName() + MARKER) : null;
                }

                @Override
                public boolean checked(Path wheel) {
                    Path m = marker(wheel);
                    return m != null && Files.isRegularFile(m);
                }

                @Override
                public void remember(Path wheel) throws IOException {
                    Path m = marker(wheel);
                    if (m != null) {
                        io.github.pybundle.core.archive.AtomicFile.write(m, t -> Files.writeString(t, "checked\n"));
                    }
                }
            };
        }
    }

    // Names the checks: a new pybundle that checks more starts a new marker.
    private static final String MARKER = ".checked-v1";
    private static final OutputStream NOWHERE = OutputStream.nullOutputStream();

    private WheelVerifier() {
    }

    /** Checks every wheel not remembered by {@code memo}, in parallel; the first failure is thrown. */
    public static void verifyAll(List<Path> wheels, Memo memo) throws IOException {
        List<Path> todo = wheels.stream().filter(w -> !memo.checked(w)).toList();
        if (todo.isEmpty()) {
            return;
        }
        int threads = Math.max(1, Math.min(todo.size(), Runtime.getRuntime().availableProcessors()));
        if (threads == 1) {
            for (Path w : todo) {
                verify(w);
                memo.remember(w);
            }
            return;
        }
        // Largest first, so that one big wheel does not start last.
        List<Path> order = new ArrayList<>(todo);
        order.sort((a, b) -> Long.compare(size(b), size(a)));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pybundle-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Path w : order) {
                futures.add(pool.submit(() -> {
                    verify(w);
                    memo.remember(w);
                    return null;
                }));
            }
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
        } finally {
            pool.shutdownNow();
        }
    }

    /** Checks every file of one wheel. */
    public static void verify(Path wheel) throws IOException {
        try (WheelArchive w = WheelArchive.open(wheel)) {
            for (ZipArchiveEntry e : w.files()) {
                if (VerifiedRawEntry.supports(e)) {
                    try (VerifiedRawEntry raw = VerifiedRawEntry.open(w, e)) {
                        raw.transferTo(NOWHERE);
                    }
                } else {
                    inflateAndCheck(w, e);
                }
            }
        }
    }

    /** Checks an entry of another compression method by inflating it with commons-compress. */
    static void inflateAndCheck(WheelArchive wheel, ZipArchiveEntry e) throws IOException {
        java.security.MessageDigest sha = FileCache.sha256();
        long size = 0;
        try (InputStream in = wheel.zip().getInputStream(e)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                size += n;
                if (size > WheelArchive.MAX_ENTRY) {
                    throw new UnsafeWheelException(wheel.filename(), "entry '" + e.getName() + "' inflates beyond"
                            + " the size limit", "the wheel is malformed or malicious; do not use it");
                }
            }
        }
        wheel.verify(e, sha.digest(), size);
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

package io.github.pybundle.core.cache;

import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.dist.DistributionFilename;
import io.github.pybundle.core.spec.dist.InvalidFilenameException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A content-addressed store of distribution files, shared by every project and Maven process of a user:
 * {@code <root>/files/sha256/<2 hex>/<64 hex>/<file name>}.
 *
 * <p>Entries are written to a temporary file and renamed into place, so a reader never sees half a file; every use
 * re-checks the digest, and a corrupt entry is evicted so it is fetched again. Writers of the same entry are
 * serialised by a lock file (other processes) and an in-JVM lock (other threads, e.g. {@code mvn -T}); waits are
 * bounded.
 */
public final class FileCache {
    private static final ConcurrentHashMap<String, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final Set<Path> STALE_PARTS_CHECKED = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final BuildListener listener;
    private final Duration lockTimeout;

    public FileCache(Path root, BuildListener listener) {
        this(root, listener, Duration.ofMinutes(10));
    }

    public FileCache(Path root, BuildListener listener, Duration lockTimeout) {
        this.root = root;
        this.listener = listener;
        this.lockTimeout = lockTimeout;
    }

    /** The cache's root directory. */
    public Path root() {
        return root;
    }

    /**
     * Where the entry for a digest and file name lives. Both come from outside (an index page, a lock), so both are
     * checked before they become a path, and the result is checked to lie under the cache root, segment by segment.
     *
     * @throws InvalidDigestException when {@code sha256} is not 64 hex digits
     * @throws InvalidFilenameException when {@code filename} is not a plain
     *     distribution file name
     */
    public Path path(String sha256, String filename) {
        if (!Digests.isSha256(sha256)) {
            throw new InvalidDigestException("the cache entry for '" + DistributionFilename.printable(filename)
                    + "'", "sha256", sha256);
        }
        DistributionFilename.check(filename);
        String h = sha256.toLowerCase(Locale.ROOT);
        Path base = root.toAbsolutePath().normalize();
        Path p = CacheBucket.FILES.in(base).resolve("sha256").resolve(h.substring(0, 2)).resolve(h).resolve(filename)
                .normalize();
        if (!p.startsWith(base) || p.getNameCount() != base.getNameCount() + 5) {
            throw new InvalidDigestException("the cache entry for '" + DistributionFilename.printable(filename)
                    + "' (resolves outside the cache)", "sha256", sha256);
        }
        return p;
    }

    /**
     * The sha256 a file's place in a cache names ({@code files/sha256/<2 hex>/<64 hex>/<file name>}), or null for a
     * file elsewhere. It is the file's digest as long as the cache handed the file out in this build: every lookup
     * re-checks it.
     */
    public static String sha256Named(Path file) {
        Path entry = file.toAbsolutePath().normalize().getParent();
        if (entry == null || entry.getParent() == null || entry.getParent().getParent() == null) {
            return null;
        }
        String hex = entry.getFileName().toString();
        Path bucket = entry.getParent().getParent();
        return Digests.isSha256(hex) && hex.startsWith(entry.getParent().getFileName().toString())
                && bucket.getFileName().toString().equals("sha256") && bucket.getParent() != null
                && bucket.getParent().getFileName().toString().equals(CacheBucket.FILES.directory())
                ? hex.toLowerCase(Locale.ROOT) : null;
    }

    /**
     * The verified entry, or null when absent (a corrupt entry is deleted and reported as absent).
     *
     * <p>An entry is hashed when stored, and again on a lookup unless its {@link #VERIFIED} stamp (written beside it
     * when it was last hashed) still records its size and modification time: a warm build then costs a stat per wheel,
     * not a read of hundreds of megabytes. What this gives up: a change of content that keeps the size and the
     * modification time is no longer seen at lookup, and as the wheel checks remember the contents they passed, such
     * a file would be bundled. That takes deliberate effort by someone who can write the user's cache, who could as
     * well write the stamps, the check markers or {@code ~/.m2} (the plugin itself): the cache is trusted as Maven
     * trusts {@code ~/.m2}.
     */
    public Path lookup(String sha256, String filename) throws IOException {
        Path p = path(sha256, filename);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        if (stampMatches(p)) {
            return p;
        }
        if (!Digests.sha256Hex(p).equals(sha256.toLowerCase(Locale.ROOT))) {
            listener.log(Level.WARN, "Cache entry " + p + " is corrupt (sha256 differs); fetching it again");
            Files.deleteIfExists(stamp(p));
            Files.deleteIfExists(p);
            return null;
        }
        writeStamp(p);
        return p;
    }

    /** The suffix of the stamp beside an entry: its size and modification time when its sha256 was last checked. */
    public static final String VERIFIED = ".verified-v1";

    private static Path stamp(Path entry) {
        return entry.resolveSibling(entry.getFileName() + VERIFIED);
    }

    private static String fingerprint(Path entry) throws IOException {
        java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(entry,
                java.nio.file.attribute.BasicFileAttributes.class);
        return a.size() + " " + a.lastModifiedTime().toMillis() + "\n";
    }

    private static boolean stampMatches(Path entry) {
        try {
            return Files.readString(stamp(entry)).equals(fingerprint(entry));
        } catch (IOException | RuntimeException noStamp) {
            return false;
        }
    }

    // Best effort: a stamp that cannot be written only means hashing again next time.
    private static void writeStamp(Path entry) {
        try {
            AtomicFile.write(stamp(entry), temp -> Files.writeString(temp, fingerprint(entry)));
        } catch (IOException | RuntimeException e) {
            // a read-only cache: hashed again next time
        }
    }

    /** Fills an entry; {@code producer} writes the file to the given temporary path and returns its sha256 (hex). */
    public interface Producer {
        String produce(Path temp) throws IOException;
    }

    /**
     * Returns the verified entry, producing it under the entry's lock when it is missing or corrupt. A produced file
     * whose digest is not {@code sha256} is never kept.
     *
     * @throws HashMismatchException when the produced content has another digest
     */
    public Path getOrProduce(String sha256, String filename, Producer producer) throws IOException {
        cleanStalePartsOnce();
        String key = sha256.toLowerCase(Locale.ROOT);
        Path existing = lookup(key, filename);
        if (existing != null) {
            return existing;
        }
        Path target = path(key, filename);
        Files.createDirectories(target.getParent());
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
        try {
            if (!jvmLock.tryLock(lockTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("timed out waiting for another thread to fetch " + filename);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + filename, e);
        }
        try (FileChannel ch = FileChannel.open(target.getParent().resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = lock(ch, filename)) {
            Path again = lookup(key, filename); // another process may have filled it while we waited
            if (again != null) {
                return again;
            }
            Path temp = Files.createTempFile(target.getParent(), ".entry", ".part");
            try {
                String actual = producer.produce(temp).toLowerCase(Locale.ROOT);
                if (!actual.equals(key)) {
                    throw new HashMismatchException(filename, key, actual);
                }
                AtomicFile.readableByAll(temp);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                writeStamp(target); // hashed just now, while it was written
                return target;
            } finally {
                Files.deleteIfExists(temp);
            }
        } finally {
            jvmLock.unlock();
        }
    }

    /**
     * Deletes the {@code .part} files that a killed build left behind (a download's temporary file lives beside its
     * entry), once a day at most: a part older than a day belongs to no build still running.
     */
    private void cleanStalePartsOnce() {
        if (!STALE_PARTS_CHECKED.add(root.toAbsolutePath().normalize())) {
            return;
        }
        Path marker = root.resolve(".parts-cleaned");
        Instant dayAgo = Instant.now().minus(Duration.ofDays(1));
        try {
            if (Files.isRegularFile(marker) && Files.getLastModifiedTime(marker).toInstant().isAfter(dayAgo)) {
                return;
            }
            Files.createDirectories(root);
            AtomicFile.write(marker, t -> Files.writeString(t, "pybundle removes stale .part files daily\n"));
            try (Stream<Path> files = Files.find(root, 6, (p, a) -> a.isRegularFile()
                    && p.getFileName().toString().endsWith(".part") && a.lastModifiedTime().toInstant()
                    .isBefore(dayAgo))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                    listener.log(Level.DEBUG, "Removed stale partial download " + p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            listener.log(Level.DEBUG, "Could not clean stale partial downloads in " + root + ": " + e.getMessage());
        }
    }

    private FileLock lock(FileChannel ch, String filename) throws IOException {
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        while (true) {
            try {
                FileLock l = ch.tryLock();
                if (l != null) {
                    return l;
                }
            } catch (OverlappingFileLockException e) {
                // held in this JVM by a thread of another cache instance: wait like for another process
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("timed out after " + lockTimeout.toSeconds() + " s waiting for another"
                        + " process to fetch " + filename + " into " + root);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + filename, e);
            }
        }
    }

    /** The default location: {@code $XDG_CACHE_HOME/pybundle}, else {@code ~/.cache/pybundle}. */
    public static Path defaultRoot(java.util.Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(userHome, ".cache")).resolve("pybundle");
    }
}

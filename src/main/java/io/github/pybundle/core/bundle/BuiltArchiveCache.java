package io.github.pybundle.core.bundle;

import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.archive.FileTrees;
import io.github.pybundle.core.cache.CacheBucket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Environment archives built before, kept in the shared cache by what they were built from, so that a warm build (a
 * clean {@code target/}, the same lock) copies the archive instead of building it again from the wheels:
 * {@code <cache>/archives/v1/<key>/archive} beside {@code sha256}, the archive's digest with its size and modification
 * time.
 *
 * <p>The key is the digest of every input of the archive (the wheels' digests, the interpreter, the format, the entry
 * time, the checks' settings, pybundle's version): the same key means the same bytes, which is what reproducible
 * builds promise. Like the cache's wheels ({@code FileCache}), an entry is trusted while its size and modification
 * time are what was recorded when it was stored (re-hashing it would cost what the copy saves); one that differs is
 * deleted and built again. Entries are hard links to the archives built (and warm builds' outputs hard links to the
 * entries) where the file system allows, so that keeping and reusing an archive of gigabytes costs neither time nor
 * disk space ({@link FileTrees#linkOrCopy}: an output is replaced by renaming, never written into the shared bytes,
 * and a change made in place anyway changes the modification time, which {@link #copyTo} checks). Entries are
 * written beside their place and moved into it, so a reader sees a whole entry or none; the {@value #KEEP} most
 * recently used stay, older ones are deleted.
 */
public final class BuiltArchiveCache {
    /** Entries kept: the most recently used. */
    static final int KEEP = 3;
    private static final String ARCHIVE = "archive";
    private static final String DIGEST = "sha256";

    private final Path dir;

    /** The built environment archives of the cache rooted at {@code cacheRoot}. */
    public BuiltArchiveCache(Path cacheRoot) {
        this(CacheBucket.ARCHIVES.in(cacheRoot), "v1");
    }

    private BuiltArchiveCache(Path archives, String kind) {
        this.dir = archives.resolve(kind);
    }

    /**
     * The application archives ({@code -spark-app.tar.gz}) built beside these environment archives, kept apart
     * ({@code <cache>/archives/app-v1/}) so that neither kind pushes the other out: an application archive holds a
     * copy of its environment archive, which a warm build would otherwise write again.
     */
    public BuiltArchiveCache applications() {
        return new BuiltArchiveCache(dir.getParent(), "app-v1");
    }

    /** An archive found in the cache and copied into place, with its digest ({@code -} when it was not stored). */
    public record Hit(Path archive, String sha256) {
    }

    /** Whether the cache seems to hold an archive for {@code key} ({@link #copyTo} still checks it). */
    public boolean has(String key) {
        Path entry = dir.resolve(key);
        return Files.isRegularFile(entry.resolve(ARCHIVE)) && Files.isRegularFile(entry.resolve(DIGEST));
    }

    /**
     * Copies the archive built for {@code key} to {@code target} (through a temporary file), or returns null when the
     * cache has none, or one that changed since it was stored.
     */
    public Hit copyTo(String key, Path target) throws IOException {
        Path entry = dir.resolve(key);
        Path archive = entry.resolve(ARCHIVE);
        Path digest = entry.resolve(DIGEST);
        String[] recorded;
        try {
            if (!Files.isRegularFile(archive) || !Files.isRegularFile(digest)) {
                return null;
            }
            recorded = Files.readString(digest, StandardCharsets.US_ASCII).strip().split(" ");
            if (recorded.length != 3 || !recorded[1].equals(Long.toString(Files.size(archive)))
                    || !recorded[2].equals(Long.toString(Files.getLastModifiedTime(archive).toMillis()))) {
                FileTrees.delete(entry); // changed since it was stored: built again
                return null;
            }
            AtomicFile.write(target, temp -> FileTrees.linkOrCopy(archive, temp));
        } catch (NoSuchFileException | UncheckedIOException e) {
            return null; // another build pruned it meanwhile: a miss, and nothing was written
        }
        AtomicFile.readableByAll(target);
        try {
            Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis())); // in use: kept
        } catch (NoSuchFileException e) {
            // pruned meanwhile: the copy is in place all the same
        }
        return new Hit(target, recorded[0]);
    }

    /**
     * Keeps a copy of an archive just built for {@code key}, with its sha256 ({@code -} where nothing needs it). The
     * cache is an optimisation: a failure to store (a full disk) leaves no entry and does not fail the build.
     *
     * @return whether the copy was stored
     */
    public boolean store(String key, Path built, String sha256) {
        return storeEntry(dir, key, KEEP, temp -> {
            Path archive = temp.resolve(ARCHIVE);
            FileTrees.linkOrCopy(built, archive);
            Files.writeString(temp.resolve(DIGEST), sha256 + " " + Files.size(archive) + " "
                    + Files.getLastModifiedTime(archive).toMillis() + "\n", StandardCharsets.US_ASCII);
            return true;
        });
    }

    /** Fills a new entry's directory; false abandons the entry. */
    @FunctionalInterface
    interface Filler {
        boolean fill(Path temp) throws IOException;
    }

    /**
     * Stores an entry of {@code dir} under {@code key}, filled in a temporary directory beside it and moved into place
     * (a reader sees a whole entry or none), then keeps the {@code keep} most recently used. A failure (a full disk,
     * another build storing or pruning at the same time) leaves no entry and is not an error: the cache is an
     * optimisation.
     *
     * @return whether the entry was stored
     */
    static boolean storeEntry(Path dir, String key, int keep, Filler filler) {
        Path entry = dir.resolve(key);
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempDirectory(dir, ".storing-");
            if (!filler.fill(temp)) {
                return false;
            }
            try {
                Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                return false; // another build stored the same entry meanwhile
            } catch (IOException e) {
                if (Files.isDirectory(entry)) {
                    return false; // a non-empty directory there: another build stored it
                }
                throw e;
            }
            temp = null;
            prune(dir, entry, keep);
            return true;
        } catch (IOException | UncheckedIOException | UnsupportedOperationException e) {
            return false;
        } finally {
            if (temp != null) {
                try {
                    FileTrees.delete(temp);
                } catch (IOException | UncheckedIOException e) {
                    // a leftover temporary directory costs disk space only; the next prune removes it
                }
            }
        }
    }

    // Least recently used first out, in dir, beyond the most recent {@code count} (keep among them); leftovers of
    // interrupted stores too, after an hour.
    static void prune(Path dir, Path keep, int count) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.filter(p -> !p.equals(keep)).sorted(Comparator.comparing(BuiltArchiveCache::lastUse)
                    .reversed()).toList();
        }
        long hour = 3_600_000L;
        int kept = 1;
        for (Path p : entries) {
            boolean leftover = p.getFileName().toString().startsWith(".");
            if (leftover ? System.currentTimeMillis() - lastUse(p).toMillis() > hour : ++kept > count) {
                FileTrees.delete(p);
            }
        }
    }

    private static FileTime lastUse(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

}

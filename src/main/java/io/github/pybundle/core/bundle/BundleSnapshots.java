package io.github.pybundle.core.bundle;

import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.archive.FileTrees;
import io.github.pybundle.core.cache.CacheBucket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Every output of bundles built before, kept in the shared cache under the digest of what they were built from
 * (the bundle's fingerprint: the lock's bytes, the sources, the settings; and pybundle's build), so that a warm build
 * (a clean {@code target/}, the same lock and sources) puts the same files back instead of building them again:
 * {@code <cache>/bundles/v1/<key>/} holds {@code files/<path>} (a hard link; nothing is kept where the cache cannot
 * link to the output directory) for each output (its path relative to the output
 * directory) and {@code manifest}, one line per file with its size, modification time and whether it is executable.
 *
 * <p>The key covers what the no-op check covers, which the unchanged-bundle shortcut already relies on: a build with
 * the same fingerprint makes the same bytes (the builds are reproducible). Like {@link BuiltArchiveCache}, files are
 * hard links where the file system allows (an archive of gigabytes costs neither time nor space), an entry is trusted
 * while each file's size and modification time are those recorded, and one that differs is deleted; entries are
 * written beside their place and moved into it, so that a reader sees a whole entry or none; the
 * {@value #KEEP} most recently used stay.
 */
public final class BundleSnapshots {
    /** Entries kept: the most recently used. */
    static final int KEEP = 3;
    private static final String MANIFEST = "manifest";
    private static final String FILES = "files";

    private final Path dir;

    /** The snapshots of the cache rooted at {@code cacheRoot}. */
    public BundleSnapshots(Path cacheRoot) {
        this.dir = CacheBucket.BUNDLES.in(cacheRoot).resolve("v1");
    }

    /**
     * Puts back every output of the bundle kept under {@code key}, each relative to {@code outputDirectory} (through
     * a temporary file, as a build writes it).
     *
     * @param required outputs (relative to {@code outputDirectory}) without which a kept bundle is incomplete
     * @return the outputs put back, or null when the cache has none for this key, or one that changed since it was
     *         stored (then deleted), or lacks a required output, or could not be put back whole (another build
     *         pruning it meanwhile); nothing is left written then
     */
    public List<Path> restore(String key, Path outputDirectory, List<String> required) {
        Path entry = dir.resolve(key);
        List<Path> restored = new ArrayList<>();
        try {
            Path manifest = entry.resolve(MANIFEST);
            if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            List<String[]> files = new ArrayList<>();
            for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                Path kept = f.length == 4 ? inside(entry.resolve(FILES), f[0]) : null;
                // Not followed: a link planted in the cache must not become an output, nor have its target's mode
                // changed.
                BasicFileAttributes a = kept == null ? null : Files.readAttributes(kept, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (a == null || !a.isRegularFile() || !f[1].equals(Long.toString(a.size()))
                        || !f[2].equals(Long.toString(a.lastModifiedTime().toMillis()))
                        || inside(outputDirectory, f[0]) == null) {
                    FileTrees.delete(entry); // changed since it was stored (or not written here): built again
                    return null;
                }
                files.add(f);
            }
            if (!files.stream().map(f -> f[0]).toList().containsAll(required)) {
                return null;
            }
            for (String[] f : files) {
                Path target = outputDirectory.resolve(f[0]);
                Path kept = entry.resolve(FILES).resolve(f[0]);
                AtomicFile.write(target, temp -> FileTrees.linkOrCopy(kept, temp));
                restored.add(target);
                if (Files.getFileStore(target).supportsFileAttributeView("posix")) {
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(f[3].equals("x")
                            ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // A miss, not a failure (another build pruning the entry meanwhile): no half set of outputs is left,
            // and the bundle is built instead.
            for (Path p : restored) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // the build that follows replaces it
                }
            }
            return null;
        }
        try {
            Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis())); // in use: kept
        } catch (IOException e) {
            // pruned meanwhile: the outputs are in place all the same
        }
        return restored;
    }

    /**
     * Keeps the outputs of a bundle just built under {@code key}. The cache is an optimisation: a failure to store
     * (a full disk) leaves no entry and does not fail the build.
     *
     * @param outputs the outputs, each inside {@code outputDirectory}
     * @return whether they were stored
     */
    public boolean store(String key, Path outputDirectory, List<Path> outputs) {
        return BuiltArchiveCache.storeEntry(dir, key, KEEP, temp -> {
            StringBuilder manifest = new StringBuilder();
            for (Path p : outputs) {
                String rel = outputDirectory.relativize(p).toString().replace('\\', '/');
                Path kept = inside(temp.resolve(FILES), rel);
                if (kept == null || rel.contains("\t") || rel.contains("\n")) {
                    return false; // not an output of this directory: nothing to keep
                }
                Files.createDirectories(kept.getParent());
                // Linked, never copied: where the cache is on another file system than target/, keeping a copy of
                // every output (archives of gigabytes, which archives/ keeps already) would cost more than it saves.
                Files.createLink(kept, p);
                manifest.append(rel).append('\t').append(Files.size(kept)).append('\t')
                        .append(Files.getLastModifiedTime(kept).toMillis()).append('\t')
                        .append(Files.isExecutable(p) ? "x" : "-").append('\n');
            }
            Files.writeString(temp.resolve(MANIFEST), manifest, StandardCharsets.UTF_8);
            return true;
        });
    }

    // The path {@code rel} names under {@code root}, or null when it is absolute or leaves it.
    private static Path inside(Path root, String rel) {
        Path p = root.resolve(rel).normalize();
        return rel.isEmpty() || Path.of(rel).isAbsolute() || !p.startsWith(root.normalize()) || p.equals(
                root.normalize()) ? null : p;
    }
}

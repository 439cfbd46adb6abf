package io.github.pybundle.core.wheel;

import io.github.pybundle.core.archive.ArchiveContent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * A py-files zip made elsewhere, such as another module's {@code bundle} output that the project depends on, opened
 * once and checked like a wheel's zip ({@link ZipStructure}: safe names, no links, no duplicates, stored or deflated
 * entries, capped sizes, one reading of its structure), so that its entries can be copied into the project's py-files
 * zip as they are stored. It has no RECORD: {@link #verify()} inflates every entry on the side and checks its deflate
 * stream, CRC-32 and size before the copy is committed.
 */
public final class PyFilesZipSource implements AutoCloseable {
    private static final String MALFORMED = "the zip is malformed or was tampered with; do not use it; rebuild it"
            + " from its project";

    private final String name;
    private final ZipFile zip;
    private final List<ZipArchiveEntry> files;
    private final long inflatedSize;

    private PyFilesZipSource(Path file, String name, long maxInflated) throws IOException {
        this.name = name;
        try {
            this.zip = ZipFile.builder().setPath(file).get();
        } catch (IOException e) {
            throw new UnsafeWheelException(name, "it is not a readable zip archive (" + e.getMessage() + ")",
                    MALFORMED);
        }
        try {
            ZipStructure structure = new ZipStructure(file, zip, name, "py-files zip", MALFORMED);
            this.inflatedSize = structure.check(maxInflated, (n, e) -> {
            });
            this.files = List.copyOf(structure.files());
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /**
     * Opens and checks the structure of a py-files zip.
     *
     * @param name how messages name it: the artifact it is, and its file
     * @param maxInflated the most its entries may declare in all
     * @throws UnsafeWheelException naming it and the first problem found
     */
    public static PyFilesZipSource open(Path file, String name, long maxInflated) throws IOException {
        return new PyFilesZipSource(file, name, maxInflated);
    }

    /** How messages name it. */
    public String name() {
        return name;
    }

    /** The opened zip. */
    ZipFile zip() {
        return zip;
    }

    /** The file entries (no directories), in archive order. */
    public List<ZipArchiveEntry> files() {
        return files;
    }

    /** The total size its entries declare (checked against their content by {@link #verify()}). */
    public long inflatedSize() {
        return inflatedSize;
    }

    /** An entry's path, as the zip stores it (checked safe by {@link #open}). */
    public static String path(ZipArchiveEntry e) {
        return WheelSource.rawName(e);
    }

    /** An entry as archive content: its stored bytes, copied as they are. */
    public ArchiveContent content(ZipArchiveEntry e) {
        return ArchiveContent.raw(zip, e, null);
    }

    /** The top-level modules and regular packages it holds ({@link WheelEntries#ownedTopLevel}). */
    public Set<String> topLevelNames() {
        Set<String> names = new TreeSet<>();
        for (ZipArchiveEntry e : files) {
            String top = WheelEntries.ownedTopLevel(path(e));
            if (top != null) {
                names.add(top);
            }
        }
        return names;
    }

    /**
     * Inflates every entry on the side and checks its deflate stream, CRC-32 and size, so that the copied bytes are
     * what a reader will read.
     *
     * @throws UnsafeWheelException naming the zip and the entry
     */
    public void verify() throws IOException {
        try (EntryChecker checker = new EntryChecker()) {
            for (ZipArchiveEntry e : files) {
                checker.check(this, e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}

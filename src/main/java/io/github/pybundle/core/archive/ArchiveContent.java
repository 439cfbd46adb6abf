package io.github.pybundle.core.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * The content of one file of an {@link ArchivePlan}, read only when the plan is written, so that planning a large
 * archive holds no file contents in memory.
 */
@FunctionalInterface
public interface ArchiveContent {
    /** Writes this content as the file {@code name} with {@code mode}. */
    void write(ArchiveWriter out, String name, int mode) throws IOException;

    /**
     * What proves this content the same file as another, or null when nothing does (then two contents at one path
     * always conflict).
     */
    default Identity identity() {
        return null;
    }

    /**
     * A hash and size that identify a file's content.
     *
     * @param hash the hash as a wheel's RECORD writes it ({@code sha256=...})
     * @param size the size in bytes
     */
    record Identity(String hash, long size) {
    }

    /** Bytes already in memory (a generated script). */
    static ArchiveContent bytes(byte[] content) {
        return (out, name, mode) -> out.addStream(name, new ByteArrayInputStream(content), content.length, mode);
    }

    /** A file, streamed when written. */
    static ArchiveContent file(Path file) {
        return (out, name, mode) -> {
            try (InputStream in = Files.newInputStream(file)) {
                out.addStream(name, in, Files.size(file), mode);
            }
        };
    }

    /** A file whose content is compressed already, streamed when written and stored as it is where the format can. */
    static ArchiveContent compressedFile(Path file) {
        return (out, name, mode) -> {
            try (InputStream in = Files.newInputStream(file)) {
                out.addStored(name, in, Files.size(file), mode);
            }
        };
    }

    /**
     * An entry of a zip, its stored bytes copied as they are ({@link ArchiveWriter#addRaw}): nothing is inflated or
     * compressed again, and nothing is checked, which is the caller's business.
     *
     * @param identity what proves it the same file as another, or null
     */
    static ArchiveContent raw(ZipFile zip, ZipArchiveEntry entry, Identity identity) {
        return new ArchiveContent() {
            @Override
            public void write(ArchiveWriter out, String name, int mode) throws IOException {
                try (InputStream raw = zip.getRawInputStream(entry)) {
                    out.addRaw(name, entry, raw, mode);
                }
            }

            @Override
            public Identity identity() {
                return identity;
            }
        };
    }
}

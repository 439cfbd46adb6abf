package io.github.pybundle.core.archive;

import io.github.pybundle.core.spec.metadata.EntryDigest;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/** An archive being written reproducibly (zip or tar.gz), committed atomically or discarded. */
public interface ArchiveWriter extends AutoCloseable {
    /** Adds a directory entry; {@code name} ends with '/'. */
    void addDirectory(String name) throws IOException;

    /** Adds a file of exactly {@code size} bytes; returns the digest of what was written. */
    EntryDigest addStream(String name, InputStream in, long size, int mode) throws IOException;

    /**
     * Adds a file of exactly {@code size} bytes whose content is compressed already (a zip, a JAR, a .tar.gz), so that
     * compressing it again would cost time and save nothing: a writer that can store it as it is does; by default it
     * is added like any other file.
     */
    default void addStored(String name, InputStream in, long size, int mode) throws IOException {
        addStream(name, in, size, mode);
    }

    /**
     * Adds a file whose content is an entry of a zip, given as its stored bytes ({@code raw}, read to its end and not
     * closed), copied without inflating and deflating it again where the format allows.
     */
    void addRaw(String name, ZipArchiveEntry source, InputStream raw, int mode) throws IOException;

    /**
     * Adds a symbolic link to {@code target} (relative to the link's directory; the caller checks that it stays
     * inside the archive).
     *
     * @throws UnsupportedOperationException where the format keeps no links (zip, as written here)
     */
    default void addSymlink(String name, String target) throws IOException {
        throw new UnsupportedOperationException("this archive cannot hold the symbolic link " + name);
    }

    /** Moves the finished archive into place. */
    void commit() throws IOException;

    /**
     * The sha256 of the committed archive's bytes when the writer computed it as it wrote them (saving a second read
     * of a file of gigabytes), else null.
     */
    default String writtenSha256() {
        return null;
    }

    @Override
    void close() throws IOException;
}

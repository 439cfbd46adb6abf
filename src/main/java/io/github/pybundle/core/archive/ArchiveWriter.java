package io.github.pybundle.core.archive;

import java.io.IOException;
import java.io.InputStream;

/** An archive being written reproducibly (zip or tar.gz), committed atomically or discarded. */
public interface ArchiveWriter extends AutoCloseable {
    /** Adds a directory entry; {@code name} ends with '/'. */
    void addDirectory(String name) throws IOException;

    /** Adds a file of exactly {@code size} bytes; returns the digest of what was written. */
    EntryDigest addStream(String name, InputStream in, long size, int mode) throws IOException;

    /** Moves the finished archive into place. */
    void commit() throws IOException;

    @Override
    void close() throws IOException;
}

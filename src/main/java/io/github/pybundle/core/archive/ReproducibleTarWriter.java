package io.github.pybundle.core.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes a {@code .tar.gz} whose bytes depend only on what is added: entries in the order given, one fixed time,
 * uid/gid 0 without names, normalised modes, POSIX long names, and a gzip header without file name or time.
 * Written to a temporary file and moved into place by {@link #commit()}.
 */
public final class ReproducibleTarWriter implements ArchiveWriter {
    private final AtomicFile file;
    private final TarArchiveOutputStream tar;
    private final long modTime;
    private final Set<String> names = new HashSet<>();

    public ReproducibleTarWriter(Path target, Instant timestamp) throws IOException {
        this.file = new AtomicFile(target);
        GzipParameters gz = new GzipParameters();
        gz.setModificationTime(0);
        gz.setOperatingSystem(255); // "unknown": the same on every build machine
        gz.setCompressionLevel(6);
        OutputStream out = Files.newOutputStream(file.temp());
        this.tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out, gz), "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        this.modTime = timestamp.toEpochMilli();
    }

    private TarArchiveEntry entry(String name, int mode, long size) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate tar entry: " + name);
        }
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setModTime(modTime);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("");
        e.setGroupName("");
        e.setMode(mode);
        e.setSize(size);
        return e;
    }

    /** Adds a directory ({@code name} ends with '/'). */
    public void addDirectory(String name) throws IOException {
        tar.putArchiveEntry(entry(name, ReproducibleZipWriter.DIRECTORY_MODE, 0));
        tar.closeArchiveEntry();
    }

    /** Adds a file of exactly {@code size} bytes read from {@code in}; returns the sha256 of what was written. */
    public EntryDigest addStream(String name, InputStream in, long size, int mode) throws IOException {
        tar.putArchiveEntry(entry(name, mode, size));
        MessageDigest sha = ReproducibleZipWriter.sha256();
        byte[] buf = new byte[64 * 1024];
        long written = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            if (written + n > size) {
                throw new IOException(name + ": more than the declared " + size + " bytes");
            }
            tar.write(buf, 0, n);
            sha.update(buf, 0, n);
            written += n;
        }
        if (written != size) {
            throw new IOException(name + ": " + written + " bytes instead of the declared " + size);
        }
        tar.closeArchiveEntry();
        return new EntryDigest(sha.digest(), written);
    }

    /** Adds a file with {@code content}. */
    public void addBytes(String name, byte[] content, int mode) throws IOException {
        addStream(name, new java.io.ByteArrayInputStream(content), content.length, mode);
    }

    public void commit() throws IOException {
        tar.finish();
        tar.close();
        file.commit();
    }

    @Override
    public void close() throws IOException {
        if (!file.committed()) {
            try {
                tar.close();
            } finally {
                file.discard();
            }
        }
    }
}

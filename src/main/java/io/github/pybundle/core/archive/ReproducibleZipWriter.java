package io.github.pybundle.core.archive;

import io.github.pybundle.core.spec.metadata.EntryDigest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Writes a zip whose bytes depend only on what is added: entries in the order given, one fixed time, normalised
 * permissions, no extra fields, no data descriptors.
 *
 * <p>The zip is written to a temporary file beside the target and moved into place by {@link #commit()}, so a failed
 * build never leaves a half-written archive; closing without committing deletes the temporary file.
 */
public final class ReproducibleZipWriter implements ArchiveWriter {
    /** Mode of regular files: rw-r--r--. */
    public static final int FILE_MODE = 0100644;
    /** Mode of executable files: rwxr-xr-x. */
    public static final int EXECUTABLE_MODE = 0100755;
    /** Mode of directories: rwxr-xr-x. */
    public static final int DIRECTORY_MODE = 040755;

    private final AtomicFile file;
    private final ZipArchiveOutputStream zip;
    private final long dosTime;
    private final Set<String> names = new HashSet<>();

    /**
     * Opens a writer for {@code target}; every entry gets the time {@code timestamp}.
     */
    public ReproducibleZipWriter(Path target, Instant timestamp) throws IOException {
        this.file = new AtomicFile(target);
        this.zip = new ZipArchiveOutputStream(AtomicFile.channel(file.temp()));
        zip.setEncoding("UTF-8");
        zip.setUseLanguageEncodingFlag(true);
        zip.setCreateUnicodeExtraFields(ZipArchiveOutputStream.UnicodeExtraFieldPolicy.NEVER);
        zip.setLevel(Deflater.DEFAULT_COMPRESSION);
        this.dosTime = zoneIndependentTime(timestamp);
    }

    /*
     * A zip stores "DOS time": calendar fields without a zone, which Java fills from the default time zone. To get the
     * same bytes on every machine, pick the instant whose local calendar fields equal the UTC fields of the timestamp.
     */
    static long zoneIndependentTime(Instant timestamp) {
        LocalDateTime utcFields = LocalDateTime.ofInstant(timestamp, ZoneOffset.UTC);
        return utcFields.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    /** Adds a directory entry; {@code name} must end with '/'. */
    @Override
    public void addDirectory(String name) throws IOException {
        if (!name.endsWith("/")) {
            throw new IllegalArgumentException("directory entry must end with '/': " + name);
        }
        ZipArchiveEntry entry = newEntry(name, DIRECTORY_MODE);
        entry.setMethod(ZipArchiveEntry.STORED);
        entry.setSize(0);
        entry.setCrc(0);
        zip.putArchiveEntry(entry);
        zip.closeArchiveEntry();
    }

    /** Adds a deflated file entry with the content of {@code file}, streamed; returns its digest. */
    public EntryDigest addFile(String name, Path file, int mode) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return addStream(name, in, Files.size(file), mode);
        }
    }

    /** Adds a deflated file entry with {@code content}; returns its digest. */
    public EntryDigest addBytes(String name, byte[] content, int mode) throws IOException {
        return addStream(name, new java.io.ByteArrayInputStream(content), content.length, mode);
    }

    /**
     * Adds a deflated file entry from a stream of {@code size} bytes (read to its end, not closed); returns its
     * digest. Knowing the size up front keeps Zip64 extra fields out of entries that do not need them.
     */
    public EntryDigest addStream(String name, InputStream in, long size, int mode) throws IOException {
        ZipArchiveEntry entry = newEntry(name, mode);
        entry.setMethod(ZipArchiveEntry.DEFLATED);
        entry.setSize(size);
        zip.putArchiveEntry(entry);
        MessageDigest sha = sha256();
        long written = 0;
        OutputStream out = new DigestOutputStream(zip, sha); // never closed: the zip stays open
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
            written += n;
        }
        if (written != size) {
            throw new IOException(name + ": expected " + size + " bytes but read " + written
                    + " (the file changed while it was archived)");
        }
        zip.closeArchiveEntry();
        return new EntryDigest(sha.digest(), written);
    }

    /**
     * Copies an entry of another zip without inflating or deflating it: the compressed bytes, CRC and sizes are
     * taken as they are; the name, time and mode are this archive's.
     */
    @Override
    public void addRaw(String name, ZipArchiveEntry source, InputStream raw, int mode) throws IOException {
        ZipArchiveEntry entry = newEntry(name, mode);
        entry.setMethod(source.getMethod());
        entry.setCrc(source.getCrc());
        entry.setSize(source.getSize());
        entry.setCompressedSize(source.getCompressedSize());
        zip.addRawArchiveEntry(entry, raw);
    }

    private ZipArchiveEntry newEntry(String name, int mode) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate zip entry: " + name);
        }
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setTime(dosTime);
        entry.setUnixMode(mode);
        return entry;
    }

    /** Finishes the zip and moves it to its target, replacing what was there. */
    public void commit() throws IOException {
        zip.finish();
        zip.close();
        file.commit();
    }

    @Override
    public void close() throws IOException {
        if (!file.committed()) {
            try {
                zip.close();
            } finally {
                file.discard();
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("SHA-256 is not available in this JVM", e));
        }
    }
}

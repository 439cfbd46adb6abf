package io.github.pybundle.core.wheel;

import io.github.pybundle.core.spec.elf.ElfStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * Checks the stored bytes of wheel entries that archives copy as they are (still deflated): inflated on the side, the
 * content must match the wheel's RECORD (sha256 and size), the zip's CRC-32 and size, and the deflate stream must end
 * exactly where the entry does. The entries of a py-files zip, which has no RECORD, are checked the same way but for
 * RECORD. One checker per thread; its inflater, digests and buffers are reused across entries.
 *
 * <p>The entries of a wheel that are ELF files (by their content: the ELF magic number) are read on the way, from
 * the same inflated bytes ({@link ElfCapture}): what they need from the system is in the {@link NativeFiles.File}
 * that {@link #check(WheelSource, ZipArchiveEntry)} returns.
 *
 * <p>Only {@link ZipMethod#DEFLATED} and {@link ZipMethod#STORED} entries exist: {@link WheelSource} refuses every
 * other method, so every entry is copied raw.
 */
final class EntryChecker implements AutoCloseable {
    private final Inflater inflater = new Inflater(true);
    private final Map<String, MessageDigest> digests = new HashMap<>();
    private MessageDigest sha;
    private final CRC32 crc = new CRC32();
    private final byte[] inflated = new byte[64 * 1024];
    private final byte[] raw = new byte[256 * 1024];
    private String origin; // the archive being checked, for messages
    private String kind;
    private long size; // the content size of the entry checked last
    private final ElfCapture elf;
    private boolean capturing;

    /** A checker that reads ELF files keeping their first {@link ElfStream#DEFAULT_PREFIX} bytes. */
    EntryChecker() {
        this(ElfStream.DEFAULT_PREFIX);
    }

    /**
     * A checker that reads ELF files keeping their first {@code elfPrefix} bytes on the first pass, or none when it is
     * negative (to measure what reading them costs).
     */
    EntryChecker(int elfPrefix) {
        this.elf = elfPrefix < 0 ? null : new ElfCapture(elfPrefix);
    }

    /**
     * Reads the stored bytes of {@code e} (stored or deflated) and checks them, and its content against RECORD.
     *
     * @return what the entry needs when it is an ELF file, else null
     */
    NativeFiles.File check(WheelSource wheel, ZipArchiveEntry e) throws IOException {
        capturing = elf != null;
        if (capturing) {
            elf.begin(e.getSize());
        }
        try {
            check(wheel.zip(), wheel.filename(), "wheel", e, wheel.recordAlgorithm(e));
        } finally {
            capturing = false;
        }
        wheel.verify(e, sha.digest(), size);
        return elf == null ? null : elf.finish(WheelSource.rawName(e), () -> wheel.zip().getInputStream(e));
    }

    /**
     * Reads the stored bytes of {@code e}, an entry of a zip without RECORD (a py-files zip), and checks its deflate
     * stream, CRC-32 and size.
     */
    void check(PyFilesZipSource source, ZipArchiveEntry e) throws IOException {
        check(source.zip(), source.name(), "zip", e, null);
    }

    private void check(ZipFile zip, String origin, String kind, ZipArchiveEntry e, String algorithm)
            throws IOException {
        this.origin = origin;
        this.kind = kind;
        boolean deflated = e.getMethod() == ZipMethod.DEFLATED.getCode();
        inflater.reset();
        sha = digests.computeIfAbsent(algorithm == null ? "SHA-256" : algorithm, EntryChecker::digest);
        sha.reset();
        crc.reset();
        long rawRead = 0;
        long size = 0;
        try (InputStream in = zip.getRawInputStream(e)) {
            for (int n; (n = in.read(raw)) >= 0; ) {
                rawRead += n;
                if (!deflated) {
                    size = content(e, raw, n, size);
                    continue;
                }
                if (inflater.finished()) {
                    throw bad(e, "its deflate stream ends before the entry's stored bytes do");
                }
                inflater.setInput(raw, 0, n);
                while (!inflater.needsInput() && !inflater.finished()) {
                    int m = inflater.inflate(inflated);
                    if (m == 0 && inflater.needsDictionary()) {
                        throw bad(e, "its deflate stream asks for a preset dictionary");
                    }
                    size = content(e, inflated, m, size);
                }
                if (inflater.finished() && inflater.getRemaining() > 0) {
                    throw bad(e, "its deflate stream ends before the entry's stored bytes do");
                }
            }
        } catch (DataFormatException ex) {
            throw bad(e, "its deflate stream is corrupt (" + ex.getMessage() + ")");
        }
        if (rawRead != e.getCompressedSize()) {
            throw bad(e, "only " + rawRead + " of its " + e.getCompressedSize() + " stored bytes could be read");
        }
        if (deflated && !inflater.finished()) {
            throw bad(e, "its deflate stream is truncated");
        }
        if (size != e.getSize()) {
            throw bad(e, "it inflates to " + size + " bytes, but its zip header declares " + e.getSize());
        }
        if (crc.getValue() != e.getCrc()) {
            throw bad(e, "its content does not match the CRC-32 of its zip header");
        }
        this.size = size;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private long content(ZipArchiveEntry e, byte[] b, int n, long size) {
        sha.update(b, 0, n);
        crc.update(b, 0, n);
        if (capturing) {
            elf.accept(b, 0, n);
        }
        long total = size + n;
        if (total > WheelSource.MAX_ENTRY || total > e.getSize()) {
            throw bad(e, "it inflates to more than the " + e.getSize() + " bytes its zip header declares");
        }
        return total;
    }

    private UnsafeWheelException bad(ZipArchiveEntry e, String problem) {
        return new UnsafeWheelException(origin, "entry '" + WheelSource.rawName(e) + "': " + problem,
                "the " + kind + " is malformed or was tampered with; do not use it");
    }

    @Override
    public void close() {
        inflater.end();
    }
}

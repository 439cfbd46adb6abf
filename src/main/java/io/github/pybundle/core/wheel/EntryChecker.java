package io.github.pybundle.core.wheel;

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
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * Checks the stored bytes of wheel entries that archives copy as they are (still deflated): inflated on the side, the
 * content must match the wheel's RECORD (sha256 and size), the zip's CRC-32 and size, and the deflate stream must end
 * exactly where the entry does. One checker per thread; its inflater, digests and buffers are reused across entries.
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

    /** Reads the stored bytes of {@code e} (stored or deflated) and checks them. */
    void check(WheelSource wheel, ZipArchiveEntry e) throws IOException {
        boolean deflated = e.getMethod() == ZipMethod.DEFLATED.getCode();
        inflater.reset();
        String algorithm = wheel.recordAlgorithm(e);
        sha = digests.computeIfAbsent(algorithm == null ? "SHA-256" : algorithm, EntryChecker::digest);
        sha.reset();
        crc.reset();
        long rawRead = 0;
        long size = 0;
        try (InputStream in = wheel.zip().getRawInputStream(e)) {
            for (int n; (n = in.read(raw)) >= 0; ) {
                rawRead += n;
                if (!deflated) {
                    size = content(wheel, e, raw, n, size);
                    continue;
                }
                if (inflater.finished()) {
                    throw bad(wheel, e, "its deflate stream ends before the entry's stored bytes do");
                }
                inflater.setInput(raw, 0, n);
                while (!inflater.needsInput() && !inflater.finished()) {
                    int m = inflater.inflate(inflated);
                    if (m == 0 && inflater.needsDictionary()) {
                        throw bad(wheel, e, "its deflate stream asks for a preset dictionary");
                    }
                    size = content(wheel, e, inflated, m, size);
                }
                if (inflater.finished() && inflater.getRemaining() > 0) {
                    throw bad(wheel, e, "its deflate stream ends before the entry's stored bytes do");
                }
            }
        } catch (DataFormatException ex) {
            throw bad(wheel, e, "its deflate stream is corrupt (" + ex.getMessage() + ")");
        }
        if (rawRead != e.getCompressedSize()) {
            throw bad(wheel, e, "only " + rawRead + " of its " + e.getCompressedSize() + " stored bytes could be read");
        }
        if (deflated && !inflater.finished()) {
            throw bad(wheel, e, "its deflate stream is truncated");
        }
        if (size != e.getSize()) {
            throw bad(wheel, e, "it inflates to " + size + " bytes, but its zip header declares " + e.getSize());
        }
        if (crc.getValue() != e.getCrc()) {
            throw bad(wheel, e, "its content does not match the CRC-32 of its zip header");
        }
        wheel.verify(e, sha.digest(), size);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private long content(WheelSource wheel, ZipArchiveEntry e, byte[] b, int n, long size) {
        sha.update(b, 0, n);
        crc.update(b, 0, n);
        long total = size + n;
        if (total > WheelSource.MAX_ENTRY || total > e.getSize()) {
            throw bad(wheel, e, "it inflates to more than the " + e.getSize() + " bytes its zip header declares");
        }
        return total;
    }

    private static UnsafeWheelException bad(WheelSource wheel, ZipArchiveEntry e, String problem) {
        return new UnsafeWheelException(wheel.filename(), "entry '" + WheelSource.rawName(e) + "': " + problem,
                "the wheel is malformed or was tampered with; do not use it");
    }

    @Override
    public void close() {
        inflater.end();
    }
}

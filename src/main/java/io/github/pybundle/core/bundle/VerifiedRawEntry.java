package io.github.pybundle.core.bundle;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * The stored bytes of a wheel entry, as they are in the wheel (still deflated), checked as they stream past: the bytes
 * are inflated on the side and, at their end, the content must match the wheel's RECORD (sha256 and size), the zip's
 * CRC-32 and size, and the deflate stream must end exactly where the entry does. So a copy that never recompresses
 * still reads and checks every byte once, and a copy whose content is wrong fails before its archive is committed.
 *
 * <p>Only {@link ZipMethod#DEFLATED} and {@link ZipMethod#STORED} entries are offered raw
 * ({@link #supports(ZipArchiveEntry)}); anything else is inflated and written again by the caller.
 */
public final class VerifiedRawEntry extends FilterInputStream {
    /** Reusable working state (an inflater, digests, a buffer) for checking many entries on one thread. */
    static final class Scratch implements AutoCloseable {
        final Inflater inflater = new Inflater(true);
        final MessageDigest sha = io.github.pybundle.core.index.FileCache.sha256();
        final CRC32 crc = new CRC32();
        final byte[] inflated = new byte[64 * 1024];
        final byte[] raw = new byte[256 * 1024];

        @Override
        public void close() {
            inflater.end();
        }
    }

    private final WheelArchive wheel;
    private final ZipArchiveEntry entry;
    private final Scratch scratch;
    private final boolean ownsScratch;
    private final Inflater inflater;
    private final MessageDigest sha;
    private final CRC32 crc;
    private final byte[] inflated;
    private long rawRead;
    private long size;
    private boolean checked;

    private VerifiedRawEntry(WheelArchive wheel, ZipArchiveEntry entry, InputStream raw, Scratch scratch,
                             boolean ownsScratch) {
        super(raw);
        this.wheel = wheel;
        this.entry = entry;
        this.scratch = scratch;
        this.ownsScratch = ownsScratch;
        scratch.inflater.reset();
        scratch.sha.reset();
        scratch.crc.reset();
        this.inflater = entry.getMethod() == ZipMethod.DEFLATED.getCode() ? scratch.inflater : null;
        this.sha = scratch.sha;
        this.crc = scratch.crc;
        this.inflated = scratch.inflated;
    }

    /** Whether an entry's stored bytes can be copied as they are: deflated or stored. */
    public static boolean supports(ZipArchiveEntry e) {
        return (e.getMethod() == ZipMethod.DEFLATED.getCode() || e.getMethod() == ZipMethod.STORED.getCode())
                && e.getSize() >= 0 && e.getCompressedSize() >= 0;
    }

    /** Opens the stored bytes of {@code e}; read them to the end to have them checked. */
    public static VerifiedRawEntry open(WheelArchive wheel, ZipArchiveEntry e) throws IOException {
        if (!supports(e)) {
            throw new IllegalArgumentException("not a deflated or stored entry: " + e.getName());
        }
        return new VerifiedRawEntry(wheel, e, wheel.zip().getRawInputStream(e), new Scratch(), true);
    }

    /** Reads the stored bytes of {@code e} to their end, checking them with {@code scratch}'s reusable state. */
    static void check(WheelArchive wheel, ZipArchiveEntry e, Scratch scratch) throws IOException {
        try (VerifiedRawEntry in = new VerifiedRawEntry(wheel, e, wheel.zip().getRawInputStream(e), scratch, false)) {
            while (in.read(scratch.raw, 0, scratch.raw.length) >= 0) {
                // read() checks as it goes, and at the end
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            check();
            return -1;
        }
        rawRead += n;
        if (inflater == null) {
            content(b, off, n);
        } else {
            inflater.setInput(b, off, n);
            inflate();
        }
        return n;
    }

    @Override
    public long skip(long n) {
        return 0; // every byte must pass through read to be checked
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void inflate() throws IOException {
        try {
            while (!inflater.needsInput() && !inflater.finished()) {
                int m = inflater.inflate(inflated);
                if (m == 0 && inflater.needsDictionary()) {
                    throw bad("its deflate stream asks for a preset dictionary");
                }
                content(inflated, 0, m);
                if (m == 0 && !inflater.needsInput() && !inflater.finished()) {
                    break;
                }
            }
            if (inflater.finished() && inflater.getRemaining() > 0) {
                throw bad("its deflate stream ends before the entry's stored bytes do");
            }
        } catch (DataFormatException e) {
            throw bad("its deflate stream is corrupt (" + e.getMessage() + ")");
        }
    }

    private void content(byte[] b, int off, int n) {
        sha.update(b, off, n);
        crc.update(b, off, n);
        size += n;
        if (size > WheelArchive.MAX_ENTRY || size > entry.getSize()) {
            throw bad("it inflates to more than the " + entry.getSize() + " bytes its zip header declares");
        }
    }

    private void check() {
        if (checked) {
            return;
        }
        if (rawRead != entry.getCompressedSize()) {
            throw bad("only " + rawRead + " of its " + entry.getCompressedSize() + " stored bytes could be read");
        }
        if (inflater != null && !inflater.finished()) {
            throw bad("its deflate stream is truncated");
        }
        if (size != entry.getSize()) {
            throw bad("it inflates to " + size + " bytes, but its zip header declares " + entry.getSize());
        }
        if (crc.getValue() != entry.getCrc()) {
            throw bad("its content does not match the CRC-32 of its zip header");
        }
        wheel.verify(entry, sha.digest(), size);
        checked = true;
    }

    private UnsafeWheelException bad(String problem) {
        return new UnsafeWheelException(wheel.filename(), "entry '" + WheelArchive.rawName(entry) + "': " + problem,
                "the wheel is malformed or was tampered with; do not use it");
    }

    /** The entry's CRC-32 and uncompressed size, as its zip header declares them (checked by the end of reading). */
    public ZipArchiveEntry entry() {
        return entry;
    }

    /** Whether the bytes were read to their end and checked. */
    public boolean checked() {
        return checked;
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            if (ownsScratch) {
                scratch.close();
            }
        }
    }
}

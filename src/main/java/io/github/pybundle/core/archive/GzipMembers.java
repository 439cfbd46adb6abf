package io.github.pybundle.core.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip file written as a series of members (RFC 1952 §2.2: "a gzip file consists of a series of members"), so that
 * data already deflated elsewhere, such as a wheel's entry, becomes a member of its own with its bytes copied, not
 * inflated and deflated again; everything else is deflated into the member in progress. Every gzip reader (gzip,
 * GNU tar, Python's gzip and tarfile, Java's {@code GZIPInputStream}) reads the members as one stream.
 *
 * <p>Content that is compressed already (a zip, a JAR, another .tar.gz) becomes a member of <em>stored</em> deflate
 * blocks ({@link #storedMember}: RFC 1951 §3.2.4, BTYPE 00), which costs a copy and a CRC-32 instead of a deflate
 * pass that would save next to nothing.
 *
 * <p>The header of every member is the same ten bytes (no name, time 0, OS "unknown"), so the output depends only on
 * what is written.
 */
final class GzipMembers {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255};

    private final OutputStream out;
    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[64 * 1024];
    // Large reads: a wheel entry of hundreds of megabytes in 8 KB reads costs more in calls than in copying.
    private final byte[] copyBuffer = new byte[1 << 20];
    private long size;
    private boolean open;

    GzipMembers(OutputStream out, int level) {
        this.out = out;
        this.deflater = new Deflater(level, true);
    }

    /** Deflates {@code len} bytes into the member in progress (starting one if none is). */
    void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        if (!open) {
            out.write(HEADER);
            deflater.reset();
            crc.reset();
            size = 0;
            open = true;
        }
        crc.update(b, off, len);
        size += len;
        deflater.setInput(b, off, len);
        while (!deflater.needsInput()) {
            drain(Deflater.NO_FLUSH);
        }
    }

    /**
     * Writes a member whose deflate stream is {@code rawDeflate}, read to its end and copied as it is, for content
     * whose CRC-32 and size are {@code crc32} and {@code contentSize}; returns how many bytes were copied.
     */
    long rawMember(InputStream rawDeflate, long crc32, long contentSize) throws IOException {
        endMember();
        out.write(HEADER);
        long copied = 0;
        for (int n; (n = rawDeflate.read(copyBuffer)) >= 0; ) {
            out.write(copyBuffer, 0, n);
            copied += n;
        }
        trailer(crc32, contentSize);
        return copied;
    }

    /** The most bytes one stored deflate block holds (its LEN field has 16 bits). */
    static final int MAX_STORED_BLOCK = 65535;

    /**
     * Writes a member of stored deflate blocks holding exactly {@code size} bytes of {@code in} (not closed): each
     * block is a byte-aligned header (BFINAL, BTYPE 00), LEN and its one's complement NLEN, then LEN bytes as they
     * are. Reads no further than {@code size} bytes; fails when {@code in} ends first.
     */
    void storedMember(InputStream in, long size) throws IOException {
        endMember();
        out.write(HEADER);
        crc.reset();
        long left = size;
        do {
            int len = (int) Math.min(left, Math.min(MAX_STORED_BLOCK, copyBuffer.length));
            int n = in.readNBytes(copyBuffer, 0, len);
            if (n != len) {
                throw new IOException("the content ended " + (left - n) + " bytes before its declared " + size);
            }
            left -= len;
            out.write(new byte[] {(byte) (left == 0 ? 1 : 0), (byte) len, (byte) (len >>> 8), (byte) ~len,
                (byte) (~len >>> 8)});
            out.write(copyBuffer, 0, len);
            crc.update(copyBuffer, 0, len);
        } while (left > 0);
        trailer(crc.getValue(), size);
    }

    /** Ends the member in progress, if any. */
    void endMember() throws IOException {
        if (!open) {
            return;
        }
        deflater.finish();
        while (!deflater.finished()) {
            drain(Deflater.NO_FLUSH);
        }
        trailer(crc.getValue(), size);
        open = false;
    }

    private void drain(int flush) throws IOException {
        int n = deflater.deflate(buf, 0, buf.length, flush);
        if (n > 0) {
            out.write(buf, 0, n);
        }
    }

    private void trailer(long crc32, long contentSize) throws IOException {
        long isize = contentSize & 0xffffffffL; // RFC 1952: the size modulo 2^32
        out.write(new byte[] {
            (byte) crc32, (byte) (crc32 >>> 8), (byte) (crc32 >>> 16), (byte) (crc32 >>> 24),
            (byte) isize, (byte) (isize >>> 8), (byte) (isize >>> 16), (byte) (isize >>> 24)});
    }

    /** Ends the last member and releases the deflater; the underlying stream is left open. */
    void finish() throws IOException {
        try {
            endMember();
        } finally {
            deflater.end();
        }
    }

    /** Releases the deflater without finishing (the output is being discarded). */
    void abandon() {
        deflater.end();
    }
}

package io.github.pybundle.core.index;

import io.github.pybundle.core.net.HttpFetcher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads one entry of a remote zip with HTTP range requests: the tail (end of central directory), the central
 * directory, then the entry's local header and data. Used to read a wheel's METADATA without downloading the wheel
 * when the index serves no PEP 658 metadata file.
 */
final class RemoteZip {
    private static final int TAIL = 64 * 1024;
    private static final long MAX_ENTRY = 50L * 1024 * 1024;

    /** Fetches byte ranges of one resource; returns null when ranges are not served. */
    interface Ranges {
        HttpFetcher.Range get(String spec);
    }

    private RemoteZip() {
    }

    /** The content of the first entry whose name matches, or null when ranges are not supported. */
    static byte[] read(Ranges ranges, Predicate<String> wanted) throws IOException {
        HttpFetcher.Range tail = ranges.get("-" + TAIL);
        if (tail == null) {
            return null;
        }
        byte[] t = tail.bytes();
        int eocd = -1;
        for (int i = t.length - 22; i >= 0; i--) {
            if (le32(t, i) == 0x06054b50L) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new IOException("no end of central directory in the last " + t.length + " bytes");
        }
        long cdSize = le32(t, eocd + 12);
        long cdOffset = le32(t, eocd + 16);
        if (cdOffset == 0xFFFFFFFFL || cdSize == 0xFFFFFFFFL) { // Zip64: the locator stands 20 bytes before
            int loc = eocd - 20;
            if (loc < 0 || le32(t, loc) != 0x07064b50L) {
                throw new IOException("zip64 locator missing");
            }
            long z64 = le64(t, loc + 8) - tail.start();
            if (z64 < 0 || le32(t, (int) z64) != 0x06064b50L) {
                throw new IOException("zip64 end of central directory is not in the tail");
            }
            cdSize = le64(t, (int) z64 + 40);
            cdOffset = le64(t, (int) z64 + 48);
        }
        byte[] cd;
        if (cdOffset >= tail.start()) {
            int from = (int) (cdOffset - tail.start());
            cd = java.util.Arrays.copyOfRange(t, from, (int) Math.min(t.length, from + cdSize));
        } else {
            HttpFetcher.Range r = ranges.get(cdOffset + "-" + (cdOffset + cdSize - 1));
            if (r == null) {
                return null;
            }
            cd = r.bytes();
        }
        for (int p = 0; p + 46 <= cd.length && le32(cd, p) == 0x02014b50L; ) {
            int method = le16(cd, p + 10);
            long compSize = le32(cd, p + 20);
            long size = le32(cd, p + 24);
            int nameLen = le16(cd, p + 28);
            int extraLen = le16(cd, p + 30);
            int commentLen = le16(cd, p + 32);
            long localOffset = le32(cd, p + 42);
            String name = new String(cd, p + 46, nameLen, StandardCharsets.UTF_8);
            if (compSize == 0xFFFFFFFFL || size == 0xFFFFFFFFL || localOffset == 0xFFFFFFFFL) {
                long[] z = zip64Extra(cd, p + 46 + nameLen, extraLen, size, compSize, localOffset);
                size = z[0];
                compSize = z[1];
                localOffset = z[2];
            }
            if (wanted.test(name)) {
                if (size > MAX_ENTRY || compSize > MAX_ENTRY) {
                    throw new IOException(name + " is larger than " + MAX_ENTRY + " bytes");
                }
                HttpFetcher.Range header = ranges.get(localOffset + "-" + (localOffset + 29));
                if (header == null || le32(header.bytes(), 0) != 0x04034b50L) {
                    throw new IOException("bad local header for " + name);
                }
                long dataStart = localOffset + 30 + le16(header.bytes(), 26) + le16(header.bytes(), 28);
                byte[] data = compSize == 0 ? new byte[0]
                        : ranges.get(dataStart + "-" + (dataStart + compSize - 1)).bytes();
                return method == 0 ? data : inflate(data, (int) size, name);
            }
            p += 46 + nameLen + extraLen + commentLen;
        }
        return new byte[0]; // no such entry: the caller reports it
    }

    private static long[] zip64Extra(byte[] b, int at, int len, long size, long comp, long offset) {
        for (int p = at; p + 4 <= at + len; ) {
            int id = le16(b, p);
            int sz = le16(b, p + 2);
            if (id == 0x0001) {
                int q = p + 4;
                if (size == 0xFFFFFFFFL) {
                    size = le64(b, q);
                    q += 8;
                }
                if (comp == 0xFFFFFFFFL) {
                    comp = le64(b, q);
                    q += 8;
                }
                if (offset == 0xFFFFFFFFL) {
                    offset = le64(b, q);
                }
                break;
            }
            p += 4 + sz;
        }
        return new long[] {size, comp, offset};
    }

    private static byte[] inflate(byte[] data, int size, String name) throws IOException {
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(data);
            byte[] out = new byte[size];
            int n = inf.inflate(out);
            if (n != size) {
                throw new IOException(name + ": inflated " + n + " bytes, expected " + size);
            }
            return out;
        } catch (DataFormatException e) {
            throw new IOException(name + " is not valid deflate data", e);
        } finally {
            inf.end();
        }
    }

    private static int le16(byte[] b, int i) {
        return ByteBuffer.wrap(b, i, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
    }

    private static long le32(byte[] b, int i) {
        return ByteBuffer.wrap(b, i, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    }

    private static long le64(byte[] b, int i) {
        return ByteBuffer.wrap(b, i, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}

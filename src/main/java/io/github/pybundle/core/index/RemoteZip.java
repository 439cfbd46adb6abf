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
 * directory when the tail does not hold it, then the entry's local header and data in one request (none when the tail
 * holds them). Used to read a wheel's METADATA without downloading the wheel
 * when the index serves no PEP 658 metadata file.
 */
final class RemoteZip {
    private static final int TAIL = 64 * 1024;
    private static final long MAX_ENTRY = 50L * 1024 * 1024;
    // How much longer than in the central directory an entry's local name and extra fields are read ahead as
    private static final int LOCAL_FIELDS_ROOM = 1024;
    private static final long MAX_CENTRAL_DIRECTORY = 64L * 1024 * 1024;

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
            if (z64 < 0 || z64 > loc - 56 || le32(t, (int) z64) != 0x06064b50L) {
                throw new IOException("zip64 end of central directory is not in the tail");
            }
            cdSize = le64(t, (int) z64 + 40);
            cdOffset = le64(t, (int) z64 + 48);
        }
        if (cdSize < 0 || cdSize > MAX_CENTRAL_DIRECTORY || cdOffset < 0 || cdOffset > tail.start() + eocd - cdSize) {
            throw new IOException("the central directory (" + cdSize + " bytes at " + cdOffset + ") does not fit"
                    + " before its end record");
        }
        byte[] cd;
        if (cdOffset >= tail.start()) {
            int from = (int) (cdOffset - tail.start());
            cd = java.util.Arrays.copyOfRange(t, from, (int) Math.min(t.length, from + cdSize));
        } else { // only the part before the tail is asked for
            long missing = Math.min(cdSize, tail.start() - cdOffset);
            HttpFetcher.Range r = ranges.get(cdOffset + "-" + (cdOffset + missing - 1));
            if (r == null) {
                return null;
            }
            if (r.start() != cdOffset || r.bytes().length != missing) {
                throw new IOException("asked for " + missing + " bytes at " + cdOffset + ", the server sent "
                        + r.bytes().length + " at " + r.start());
            }
            cd = new byte[(int) cdSize];
            System.arraycopy(r.bytes(), 0, cd, 0, (int) Math.min(missing, r.bytes().length));
            if (missing < cdSize) {
                System.arraycopy(t, 0, cd, (int) missing, (int) Math.min(cdSize - missing, t.length));
            }
        }
        for (int p = 0; p + 46 <= cd.length && le32(cd, p) == 0x02014b50L; ) {
            int method = le16(cd, p + 10);
            long compSize = le32(cd, p + 20);
            long size = le32(cd, p + 24);
            int nameLen = le16(cd, p + 28);
            int extraLen = le16(cd, p + 30);
            int commentLen = le16(cd, p + 32);
            long localOffset = le32(cd, p + 42);
            if (p + 46L + nameLen + extraLen + commentLen > cd.length) {
                throw new IOException("a central directory record runs past the central directory");
            }
            String name = new String(cd, p + 46, nameLen, StandardCharsets.UTF_8);
            if (compSize == 0xFFFFFFFFL || size == 0xFFFFFFFFL || localOffset == 0xFFFFFFFFL) {
                long[] z = zip64Extra(cd, p + 46 + nameLen, extraLen, size, compSize, localOffset);
                size = z[0];
                compSize = z[1];
                localOffset = z[2];
            }
            if (wanted.test(name)) {
                if (size < 0 || compSize < 0 || size > MAX_ENTRY || compSize > MAX_ENTRY) {
                    throw new IOException(name + " is larger than " + MAX_ENTRY + " bytes");
                }
                byte[] data = entryData(ranges, tail, localOffset, nameLen + extraLen, compSize, cdOffset, name);
                return method == 0 ? data : inflate(data, (int) size, name);
            }
            p += 46 + nameLen + extraLen + commentLen;
        }
        return new byte[0]; // no such entry: the caller reports it
    }

    // The stored bytes of an entry: from the tail when it holds them (a wheel writes its .dist-info last, so in a small
    // wheel or one with a short central directory METADATA is there already), else with one request for its local
    // header and data together (guessing that the header's name and extra fields are as long as the central
    // directory's, with some room for longer ones), and a second only when the guess fell short.
    private static byte[] entryData(Ranges ranges, HttpFetcher.Range tail, long localOffset, int centralFields,
                                    long compSize, long cdOffset, String name) throws IOException {
        if (localOffset < 0 || localOffset > cdOffset - 30) {
            throw new IOException("the local header of " + name + " (at " + localOffset + ") does not stand before"
                    + " the central directory");
        }
        byte[] local;
        long end = Math.min(localOffset + 30 + centralFields + LOCAL_FIELDS_ROOM + compSize, cdOffset);
        if (localOffset >= tail.start()) {
            int from = (int) (localOffset - tail.start());
            local = java.util.Arrays.copyOfRange(tail.bytes(), from, (int) Math.min(tail.bytes().length,
                    end - tail.start()));
        } else {
            HttpFetcher.Range r = ranges.get(localOffset + "-" + (end - 1));
            if (r != null && r.start() != localOffset) {
                throw new IOException("asked for the bytes at " + localOffset + ", the server sent those at "
                        + r.start());
            }
            local = r == null ? new byte[0] : r.bytes();
        }
        if (local.length < 30 || le32(local, 0) != 0x04034b50L) {
            throw new IOException("bad local header for " + name);
        }
        long dataStart = 30L + le16(local, 26) + le16(local, 28);
        if (dataStart + compSize <= local.length) {
            return java.util.Arrays.copyOfRange(local, (int) dataStart, (int) (dataStart + compSize));
        }
        if (compSize == 0) {
            return new byte[0];
        }
        long from = localOffset + dataStart;
        HttpFetcher.Range r = ranges.get(from + "-" + (from + compSize - 1));
        if (r == null || r.start() != from || r.bytes().length != compSize) {
            throw new IOException("cannot read the " + compSize + " stored bytes of " + name);
        }
        return r.bytes();
    }

    // The zip64 extra field's values for the fields that say 0xFFFFFFFF, each read only within that field.
    private static long[] zip64Extra(byte[] b, int at, int len, long size, long comp, long offset)
            throws IOException {
        for (int p = at; p + 4 <= at + len; ) {
            int id = le16(b, p);
            int sz = le16(b, p + 2);
            if (id == 0x0001) {
                int q = p + 4;
                int end = Math.min(p + 4 + sz, at + len);
                long[] values = {size, comp, offset};
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == 0xFFFFFFFFL) {
                        if (q + 8 > end) {
                            throw new IOException("a zip64 extra field is shorter than its values");
                        }
                        values[i] = le64(b, q);
                        q += 8;
                    }
                }
                return values;
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

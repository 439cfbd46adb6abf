package io.github.pybundle.core.archive;

import io.github.pybundle.core.spec.metadata.EntryDigest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * Writes a {@code .tar.gz} whose bytes depend only on what is added: entries in the order given, one fixed time,
 * uid/gid 0 without names, normalised modes, a POSIX.1-2001 (pax) {@code path} record for names a ustar header cannot
 * hold, and gzip headers without file name or time. Written to a temporary file and moved into place by
 * {@link #commit()}.
 *
 * <p>The tar format is written here rather than by a library because the gzip layer must know where each file's data
 * starts and ends: a file added with {@link #addRaw} whose bytes are already deflated (a wheel's entry) becomes a gzip
 * member of its own, copied without inflating or deflating it ({@link GzipMembers}); headers, padding and other files
 * are deflated as usual. That is what makes an environment archive of hundreds of megabytes cost a copy, not a
 * recompression.
 */
public final class ReproducibleTarWriter implements ArchiveWriter {
    private static final int BLOCK = 512;
    private static final int RECORD = 20 * BLOCK; // GNU tar's default blocking factor
    private static final byte[] ZEROS = new byte[RECORD];

    private final AtomicFile file;
    private final OutputStream out;
    private final MessageDigest written; // of the file's bytes, as they are written; null when not wanted
    private String sha256;
    private final GzipMembers gz;
    private final long mtime;
    private final Set<String> names = new HashSet<>();
    private long tarBytes;

    public ReproducibleTarWriter(Path target, Instant timestamp) throws IOException {
        this(target, timestamp, true);
    }

    /**
     * A writer that computes the archive's sha256 as it writes it ({@link #writtenSha256()}) or not: hashing a file
     * of gigabytes costs a second of CPU that is wasted where nobody asks for its digest.
     */
    public ReproducibleTarWriter(Path target, Instant timestamp, boolean digest) throws IOException {
        this.file = new AtomicFile(target);
        this.written = digest ? ReproducibleZipWriter.sha256() : null;
        OutputStream raw = AtomicFile.output(file.temp());
        this.out = new BufferedOutputStream(digest ? new DigestOutputStream(raw, written) : raw, 256 * 1024);
        this.gz = new GzipMembers(out, 6);
        this.mtime = timestamp.getEpochSecond();
    }

    /** Adds a directory ({@code name} ends with '/'). */
    @Override
    public void addDirectory(String name) throws IOException {
        header(name, ReproducibleZipWriter.DIRECTORY_MODE, 0, '5');
    }

    /** Adds a file of exactly {@code size} bytes read from {@code in}; returns the sha256 of what was written. */
    @Override
    public EntryDigest addStream(String name, InputStream in, long size, int mode) throws IOException {
        header(name, mode, size, '0');
        MessageDigest sha = ReproducibleZipWriter.sha256();
        byte[] buf = new byte[64 * 1024];
        long written = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            if (written + n > size) {
                throw new IOException(name + ": more than the declared " + size + " bytes");
            }
            data(buf, 0, n);
            sha.update(buf, 0, n);
            written += n;
        }
        if (written != size) {
            throw new IOException(name + ": " + written + " bytes instead of the declared " + size);
        }
        pad(size);
        return new EntryDigest(sha.digest(), written);
    }

    /**
     * Adds a file whose content is compressed already as a gzip member of stored deflate blocks: a copy and a CRC-32,
     * no deflate pass. Reads exactly {@code size} bytes of {@code in}; more or fewer is an error.
     */
    @Override
    public void addStored(String name, InputStream in, long size, int mode) throws IOException {
        header(name, mode, size, '0');
        try {
            gz.storedMember(in, size);
        } catch (IOException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
        if (in.read() >= 0) {
            throw new IOException(name + ": more than the declared " + size + " bytes");
        }
        tarBytes += size;
        pad(size);
    }

    /**
     * Adds a file whose content is an entry of a zip, given as its stored bytes ({@code raw}, read to its end): a
     * deflated entry is copied as a gzip member of its own, a stored one is deflated like any other file. The CRC-32
     * and size are the zip entry's; the caller checks the content (pybundle's wheel verifier does, before committing).
     */
    @Override
    public void addRaw(String name, ZipArchiveEntry source, InputStream raw, int mode) throws IOException {
        long size = source.getSize();
        if (source.getMethod() == ZipMethod.STORED.getCode()) {
            addStream(name, raw, size, mode);
            if (raw.read() >= 0) {
                throw new IOException(name + ": more than the declared " + size + " bytes");
            }
            return;
        }
        if (source.getMethod() != ZipMethod.DEFLATED.getCode()) {
            throw new IllegalArgumentException(name + ": only deflated or stored entries can be copied raw");
        }
        header(name, mode, size, '0');
        gz.endMember();
        long copied = gz.rawMember(raw, source.getCrc(), size);
        if (copied != source.getCompressedSize()) {
            throw new IOException(name + ": " + copied + " stored bytes instead of " + source.getCompressedSize());
        }
        tarBytes += size;
        pad(size);
    }

    /** Adds a symbolic link ({@code target} is relative to the link's directory). */
    @Override
    public void addSymlink(String name, String target) throws IOException {
        header(name, 0120777, 0, '2', target);
    }

    private void header(String name, int mode, long size, char type) throws IOException {
        header(name, mode, size, type, null);
    }

    private void header(String name, int mode, long size, char type, String linkName) throws IOException {
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate tar entry: " + name);
        }
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        boolean fits = fitsUstar(name);
        boolean linkFits = linkName == null || fitsUstar(linkName);
        if (!fits || !linkFits) {
            java.io.ByteArrayOutputStream records = new java.io.ByteArrayOutputStream();
            if (!fits) {
                records.writeBytes(paxRecord("path", name));
            }
            if (!linkFits) {
                records.writeBytes(paxRecord("linkpath", linkName));
            }
            byte[] r = records.toByteArray();
            block(ustar("././@PaxHeader", 0100644, r.length, 'x', "././@PaxHeader".getBytes(
                    StandardCharsets.US_ASCII), null));
            data(r, 0, r.length);
            pad(r.length);
        }
        byte[] shortName = fits ? utf8 : asciiPrefix(name);
        byte[] shortLink = linkName == null ? null : linkFits ? linkName.getBytes(StandardCharsets.UTF_8)
                : asciiPrefix(linkName);
        block(ustar(name, mode, size, type, shortName, shortLink));
    }

    // ASCII that fits a 100-byte ustar name field.
    private static boolean fitsUstar(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        return utf8.length <= 100 && utf8.length == name.length();
    }

    // What a reader that ignores pax records sees: the name's first 100 ASCII-safe bytes.
    private static byte[] asciiPrefix(String name) {
        byte[] b = new byte[Math.min(100, name.length())];
        for (int i = 0; i < b.length; i++) {
            char c = name.charAt(i);
            b[i] = c < 0x80 ? (byte) c : (byte) '_';
        }
        return b;
    }

    private byte[] ustar(String name, int mode, long size, char type, byte[] nameField, byte[] linkField) {
        byte[] h = new byte[BLOCK];
        System.arraycopy(nameField, 0, h, 0, nameField.length);
        if (linkField != null) {
            System.arraycopy(linkField, 0, h, 157, linkField.length);
        }
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        byte[] magic = {'u', 's', 't', 'a', 'r', 0, '0', '0'};
        System.arraycopy(magic, 0, h, 257, magic.length);
        octal(h, 329, 8, 0);
        octal(h, 337, 8, 0);
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum); // six digits, NUL, and the space already there
        return h;
    }

    // An octal number of width-1 digits and a NUL, as ustar writes numbers.
    private static void octal(byte[] h, int off, int width, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > width - 1) {
            throw new IllegalArgumentException("value " + value + " does not fit a " + width + "-byte tar field");
        }
        for (int i = 0; i < width - 1; i++) {
            int d = i - (width - 1 - digits.length());
            h[off + i] = (byte) (d < 0 ? '0' : digits.charAt(d));
        }
        h[off + width - 1] = 0;
    }

    // One pax record: "<length> <key>=<value>\n", the length counting the whole record including itself.
    static byte[] paxRecord(String key, String value) {
        int rest = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int length = rest + 1;
        while (String.valueOf(length).length() + rest != length) {
            length++;
        }
        return (length + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private void block(byte[] b) throws IOException {
        data(b, 0, b.length);
    }

    private void data(byte[] b, int off, int len) throws IOException {
        gz.write(b, off, len);
        tarBytes += len;
    }

    private void pad(long size) throws IOException {
        int tail = (int) (size % BLOCK);
        if (tail != 0) {
            data(ZEROS, 0, BLOCK - tail);
        }
    }

    /** Adds a file with {@code content}. */
    public void addBytes(String name, byte[] content, int mode) throws IOException {
        addStream(name, new java.io.ByteArrayInputStream(content), content.length, mode);
    }

    @Override
    public void commit() throws IOException {
        data(ZEROS, 0, 2 * BLOCK); // the end-of-archive marker
        int tail = (int) (tarBytes % RECORD);
        if (tail != 0) {
            data(ZEROS, 0, RECORD - tail);
        }
        gz.finish();
        out.close();
        String digest = written == null ? null : HexFormat.of().formatHex(written.digest());
        file.commit();
        sha256 = digest;
    }

    /** The sha256 of the archive's bytes, computed as they were written: known once committed, else null. */
    @Override
    public String writtenSha256() {
        return sha256;
    }

    @Override
    public void close() throws IOException {
        if (!file.committed()) {
            try {
                gz.abandon();
                out.close();
            } finally {
                file.discard();
            }
        }
    }
}

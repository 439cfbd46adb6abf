package io.github.pybundle.core.wheel;

import io.github.pybundle.core.spec.dist.DistributionFilename;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * The checks of a zip's structure that every archive pybundle copies entries from must pass, a wheel
 * ({@link WheelSource}) or another module's py-files zip ({@link PyFilesZipSource}): names decoded one way only and
 * safe to extract, no links, no duplicates, no encryption, stored or deflated entries only, sizes capped, each local
 * header agreeing with the central directory, and nothing hidden before the first entry or after the end record.
 */
final class ZipStructure {
    private static final int SYMLINK = 0120000;

    /** Sees each file entry (not directories) once it passed the checks of one entry, in physical order. */
    @FunctionalInterface
    interface FileVisitor {
        void file(String name, ZipArchiveEntry e);
    }

    private final Path file;
    private final ZipFile zip;
    private final String filename;
    private final String kind;
    private final String hint;
    private final List<ZipArchiveEntry> files = new ArrayList<>();

    /**
     * @param filename how messages name the archive
     * @param kind what it is, for messages ("wheel")
     * @param hint what to do when it is malformed
     */
    ZipStructure(Path file, ZipFile zip, String filename, String kind, String hint) {
        this.file = file;
        this.zip = zip;
        this.filename = filename;
        this.kind = kind;
        this.hint = hint;
    }

    /**
     * Checks every entry, then the local headers and the archive's boundaries; returns the total size the entries
     * declare.
     *
     * @param maxInflated the most the entries may declare in all (zip-bomb guard)
     * @throws UnsafeWheelException naming the archive and the first problem found
     */
    long check(long maxInflated, FileVisitor visitor) throws IOException {
        Set<String> names = new HashSet<>();
        long total = 0;
        for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
            String name = checkedName(e);
            String unsafe = WheelEntries.unsafeReason(name);
            if (unsafe != null) {
                throw fail("entry '" + printable(name) + "' is " + unsafe + " and would escape the destination");
            }
            if (e.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX && (e.getUnixMode() & 0170000) == SYMLINK) {
                throw fail("entry '" + name + "' is a symbolic link, which pybundle never writes");
            }
            if (!names.add(name)) {
                throw fail("entry '" + name + "' appears twice");
            }
            if (e.getSize() > WheelSource.MAX_ENTRY || e.getSize() < 0) {
                throw fail("entry '" + name + "' declares " + e.getSize() + " bytes, over the " + WheelSource.MAX_ENTRY
                        + "-byte limit");
            }
            if (e.getGeneralPurposeBit().usesEncryption() || e.getGeneralPurposeBit().usesStrongEncryption()) {
                throw fail("entry '" + name + "' is encrypted, which no " + kind + " may be");
            }
            if (e.getMethod() != ZipMethod.STORED.getCode() && e.getMethod() != ZipMethod.DEFLATED.getCode()) {
                throw fail("entry '" + name + "' is compressed with " + methodName(e.getMethod())
                        + "; a " + kind + "'s entries must be stored or deflated, which every Python can read");
            }
            total += e.getSize();
            if (total > maxInflated) {
                throw new UnsafeWheelException(filename, "it inflates to more than " + maxInflated
                        + " bytes, the limit for one " + kind, "if the " + kind + " is genuine, raise"
                        + " {@maxInflatedWheelSize}; otherwise it is a zip bomb: do not use it");
            }
            if (!e.isDirectory()) {
                files.add(e);
                visitor.file(name, e);
            }
        }
        checkLocalHeaders();
        checkBoundaries();
        return total;
    }

    /** The file entries (no directories), in physical order, once {@link #check} passed. */
    List<ZipArchiveEntry> files() {
        return files;
    }

    UnsafeWheelException fail(String problem) {
        return new UnsafeWheelException(filename, problem, hint);
    }

    static String printable(String name) {
        return DistributionFilename.printable(name);
    }

    /**
     * The entry's name, decoded strictly: UTF-8 when the zip marks the name so (the language encoding flag), ASCII
     * otherwise (a reader would decode other bytes as CP437 and see another name than we do). No control characters:
     * a NUL would end the name for tar and unzip, so {@code victim/__init__.py\0} would shadow another wheel's file.
     */
    private String checkedName(ZipArchiveEntry e) {
        byte[] raw = e.getRawName() == null ? e.getName().getBytes(StandardCharsets.UTF_8) : e.getRawName();
        boolean ascii = true;
        for (byte b : raw) {
            ascii &= b >= 0;
        }
        if (!ascii && !e.getGeneralPurposeBit().usesUTF8ForNames()) {
            throw fail("entry '" + printable(new String(raw, StandardCharsets.ISO_8859_1)) + "' has a non-ASCII"
                    + " name not marked as UTF-8, which readers would decode differently");
        }
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException ex) {
            throw fail("entry '" + printable(new String(raw, StandardCharsets.ISO_8859_1)) + "' has a name that is"
                    + " not valid UTF-8");
        }
        for (int i = 0; i < name.length(); i++) {
            if (DistributionFilename.isControl(name.charAt(i))) {
                throw fail("entry '" + printable(name) + "' has a control character in its name");
            }
        }
        return name;
    }

    private static String methodName(int method) {
        ZipMethod m = ZipMethod.getMethodByCode(method);
        return m == null ? "compression method " + method : m.name() + " (method " + method + ")";
    }

    /**
     * Refuses ambiguous archives, which different readers see differently: bytes before the first local header (a
     * reader starting there sees another archive), bytes after the end-of-central-directory record, or a comment
     * holding zip records (a second archive).
     */
    private void checkBoundaries() throws IOException {
        checkEnd();
        long first = Long.MAX_VALUE;
        for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
            first = Math.min(first, e.getLocalHeaderOffset());
        }
        if (first != 0 && first != Long.MAX_VALUE) {
            throw fail("it has " + first + " bytes before its first entry (another archive or a program may hide"
                    + " there)");
        }
    }

    // The end-of-central-directory record must end the file, and its comment must not hold zip records.
    private void checkEnd() throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long size = raf.length();
            int tail = (int) Math.min(size, 22 + 65535);
            byte[] b = new byte[tail];
            raf.seek(size - tail);
            raf.readFully(b);
            for (int i = tail - 22; i >= 0; i--) {
                if (b[i] == 0x50 && b[i + 1] == 0x4b && b[i + 2] == 5 && b[i + 3] == 6) {
                    int commentLength = (b[i + 20] & 0xff) | (b[i + 21] & 0xff) << 8;
                    if (i + 22 + commentLength != tail) {
                        throw fail("it has data after its end-of-central-directory record");
                    }
                    for (int j = i - 1; j >= 0; j--) { // an earlier record whose "comment" reaches the end too
                        if (b[j] == 0x50 && b[j + 1] == 0x4b && b[j + 2] == 5 && b[j + 3] == 6 && j + 22 <= tail
                                && j + 22 + ((b[j + 20] & 0xff) | (b[j + 21] & 0xff) << 8) == tail) {
                            throw fail("its zip comment holds zip records (a second archive)");
                        }
                    }
                    for (int j = i + 22; j + 3 < tail; j++) {
                        if (b[j] == 0x50 && b[j + 1] == 0x4b && (b[j + 2] == 1 || b[j + 2] == 3 || b[j + 2] == 5
                                || b[j + 2] == 6)) {
                            throw fail("its zip comment holds zip records (a second archive)");
                        }
                    }
                    return;
                }
            }
            throw fail("it has no end-of-central-directory record");
        }
    }

    // Each local header must name the same entry as the central directory: two views of one zip must not disagree.
    private void checkLocalHeaders() throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            for (ZipArchiveEntry e : files) {
                long off = e.getLocalHeaderOffset();
                byte[] h = new byte[30];
                raf.seek(off);
                raf.readFully(h);
                if ((h[0] & 0xff) != 0x50 || (h[1] & 0xff) != 0x4b || h[2] != 3 || h[3] != 4) {
                    throw fail("entry '" + WheelSource.rawName(e) + "' has no local header where the central"
                            + " directory says");
                }
                int nameLen = (h[26] & 0xff) | (h[27] & 0xff) << 8;
                byte[] name = new byte[nameLen];
                raf.readFully(name);
                byte[] central = e.getRawName() == null ? e.getName().getBytes(StandardCharsets.UTF_8) : e.getRawName();
                if (!Arrays.equals(name, central)) {
                    throw fail("entry '" + WheelSource.rawName(e) + "' is named '" + new String(name,
                            StandardCharsets.UTF_8) + "' in its local header");
                }
            }
        }
    }
}

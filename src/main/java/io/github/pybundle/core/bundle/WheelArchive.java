package io.github.pybundle.core.bundle;

import io.github.pybundle.core.name.ProjectName;
import io.github.pybundle.core.wheel.WheelFilename;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * An opened, structurally checked wheel: entry names safe, no links, no duplicates, local headers agreeing with the
 * central directory, sizes capped, {@code .dist-info} matching the file name, and every file listed in RECORD. The
 * content digests are checked as entries are streamed ({@link #verify}), so each byte is read once.
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/binary-distribution-format/">Binary distribution format</a>
 */
public final class WheelArchive implements AutoCloseable {
    /** Largest uncompressed entry accepted (zip bomb guard). */
    public static final long MAX_ENTRY = 3L * 1024 * 1024 * 1024;
    private static final int SYMLINK = 0120000;

    /** One RECORD row. */
    record Recorded(String hash, long size) {
    }

    private final String filename;
    private final ZipFile zip;
    private final String distInfo;
    private final boolean purelib;
    private final List<ZipArchiveEntry> files = new ArrayList<>();
    private final Map<String, Recorded> record = new HashMap<>();
    private final String nativeFile;

    private WheelArchive(Path file) throws IOException {
        this.filename = file.getFileName().toString();
        this.zip = ZipFile.builder().setPath(file).get();
        try {
            WheelFilename wf = WheelFilename.parse(filename);
            Set<String> names = new HashSet<>();
            String distInfoDir = null;
            String firstNative = null;
            for (ZipArchiveEntry e : java.util.Collections.list(zip.getEntriesInPhysicalOrder())) {
                String name = rawName(e);
                String unsafe = WheelEntries.unsafeReason(name);
                if (unsafe != null) {
                    throw fail("entry '" + name + "' is " + unsafe + " and would escape the destination");
                }
                if (e.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX && (e.getUnixMode() & 0170000) == SYMLINK) {
                    throw fail("entry '" + name + "' is a symbolic link, which pybundle never writes");
                }
                if (!names.add(name)) {
                    throw fail("entry '" + name + "' appears twice");
                }
                if (e.getSize() > MAX_ENTRY || e.getSize() < 0) {
                    throw fail("entry '" + name + "' declares " + e.getSize() + " bytes, over the " + MAX_ENTRY
                            + "-byte limit");
                }
                if (e.isDirectory()) {
                    continue;
                }
                files.add(e);
                int slash = name.indexOf('/');
                if (slash > 0 && name.substring(0, slash).endsWith(".dist-info")
                        && name.indexOf('/', slash + 1) < 0) {
                    if (distInfoDir != null && !distInfoDir.equals(name.substring(0, slash))) {
                        throw fail("it has two .dist-info directories: " + distInfoDir + " and "
                                + name.substring(0, slash));
                    }
                    distInfoDir = name.substring(0, slash);
                }
                if (firstNative == null && WheelEntries.isExtensionModule(name)) {
                    firstNative = name;
                }
            }
            checkLocalHeaders(file);
            if (distInfoDir == null) {
                throw fail("it has no .dist-info directory");
            }
            String[] nv = distInfoDir.substring(0, distInfoDir.length() - ".dist-info".length()).split("-", 2);
            if (nv.length != 2 || !ProjectName.normalize(nv[0]).equals(wf.name())
                    || !io.github.pybundle.core.pep440.Version.isValid(nv[1])
                    || !io.github.pybundle.core.pep440.Version.parse(nv[1]).equals(wf.version())) {
                throw fail(distInfoDir + " does not match the file name's " + wf.name() + " " + wf.version());
            }
            this.distInfo = distInfoDir;
            this.purelib = readWheelFile().lines().anyMatch(l -> l.replace(" ", "").equalsIgnoreCase(
                    "Root-Is-Purelib:true"));
            readRecord();
            this.nativeFile = firstNative != null ? firstNative : purelib ? null : "Root-Is-Purelib: false";
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /**
     * The PEP 427 file name of a wheel stored under another name (Maven repositories store
     * {@code artifactId-version.whl}): the {@code .dist-info} directory's name and version, and the tags of its
     * WHEEL file.
     */
    public static String properName(Path file) throws IOException {
        try (ZipFile z = ZipFile.builder().setPath(file).get()) {
            for (ZipArchiveEntry e : java.util.Collections.list(z.getEntries())) {
                if (e.getName().matches("[^/]+\\.dist-info/WHEEL")) {
                    String dist = e.getName().substring(0, e.getName().indexOf(".dist-info/"));
                    String text;
                    try (InputStream in = z.getInputStream(e)) {
                        text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                    }
                    List<String> tags = text.lines().filter(l -> l.startsWith("Tag:"))
                            .map(l -> l.substring(4).strip()).toList();
                    if (tags.isEmpty()) {
                        break;
                    }
                    String[] first = tags.get(0).split("-");
                    List<String> py = new ArrayList<>();
                    List<String> abi = new ArrayList<>();
                    List<String> plat = new ArrayList<>();
                    for (String t : tags) {
                        String[] p = t.split("-");
                        if (!py.contains(p[0])) {
                            py.add(p[0]);
                        }
                        if (!abi.contains(p[1])) {
                            abi.add(p[1]);
                        }
                        if (!plat.contains(p[2])) {
                            plat.add(p[2]);
                        }
                    }
                    return dist + "-" + String.join(".", py) + "-" + (abi.isEmpty() ? first[1] : String.join(".", abi))
                            + "-" + String.join(".", plat) + ".whl";
                }
            }
        }
        throw new UnsafeWheelException(file.getFileName().toString(), "it has no .dist-info/WHEEL with tags",
                "the wheel is malformed");
    }

    /**
     * Whether a wheel is pure Python ({@link #isPure()}), read from its zip directory and WHEEL file only: for placing
     * wheels before they are opened and checked in full by the archive that receives them. A wheel this quick read
     * cannot make sense of is opened in full, which reports what is wrong with it.
     */
    public static boolean isPure(Path file) throws IOException {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile(), StandardCharsets.UTF_8)) {
            String wheelFile = null;
            for (java.util.zip.ZipEntry e : java.util.Collections.list(z.entries())) {
                String name = e.getName();
                if (WheelEntries.isExtensionModule(name)) {
                    return false;
                }
                if (name.endsWith(".dist-info/WHEEL") && name.indexOf('/') == name.length() - "/WHEEL".length()) {
                    wheelFile = name;
                }
            }
            if (wheelFile != null) {
                try (InputStream in = z.getInputStream(z.getEntry(wheelFile))) {
                    String text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                    return text.lines().anyMatch(l -> l.replace(" ", "").equalsIgnoreCase("Root-Is-Purelib:true"));
                }
            }
        } catch (java.util.zip.ZipException | IllegalArgumentException unreadable) {
            // fall through to the full check, which names the problem
        }
        try (WheelArchive w = open(file)) {
            return w.isPure();
        }
    }

    /** Opens and checks a wheel. */
    public static WheelArchive open(Path file) throws IOException {
        return new WheelArchive(file);
    }

    private UnsafeWheelException fail(String problem) {
        return new UnsafeWheelException(filename, problem, "the wheel is malformed or was tampered with; do not use it");
    }

    // commons-compress turns '\' into '/' for some entries, which would hide a backslash path: use the raw bytes.
    static String rawName(ZipArchiveEntry e) {
        return e.getRawName() == null ? e.getName() : new String(e.getRawName(), StandardCharsets.UTF_8);
    }

    // Each local header must name the same entry as the central directory: two views of one zip must not disagree.
    private void checkLocalHeaders(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            for (ZipArchiveEntry e : files) {
                long off = e.getLocalHeaderOffset();
                byte[] h = new byte[30];
                raf.seek(off);
                raf.readFully(h);
                if ((h[0] & 0xff) != 0x50 || (h[1] & 0xff) != 0x4b || h[2] != 3 || h[3] != 4) {
                    throw fail("entry '" + rawName(e) + "' has no local header where the central directory says");
                }
                int nameLen = (h[26] & 0xff) | (h[27] & 0xff) << 8;
                byte[] name = new byte[nameLen];
                raf.readFully(name);
                byte[] central = e.getRawName() == null ? e.getName().getBytes(StandardCharsets.UTF_8) : e.getRawName();
                if (!java.util.Arrays.equals(name, central)) {
                    throw fail("entry '" + rawName(e) + "' is named '" + new String(name, StandardCharsets.UTF_8)
                            + "' in its local header");
                }
            }
        }
    }

    private String readWheelFile() throws IOException {
        ZipArchiveEntry e = zip.getEntry(distInfo + "/WHEEL");
        if (e == null) {
            throw fail("it has no " + distInfo + "/WHEEL");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        }
    }

    private void readRecord() throws IOException {
        ZipArchiveEntry e = zip.getEntry(distInfo + "/RECORD");
        if (e == null) {
            throw fail("it has no " + distInfo + "/RECORD");
        }
        String text;
        try (InputStream in = zip.getInputStream(e)) {
            text = new String(in.readNBytes(64 * 1024 * 1024), StandardCharsets.UTF_8);
        }
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = csv(line);
            String path = f.get(0);
            if (f.size() >= 3 && !f.get(1).isEmpty()) {
                record.put(path, new Recorded(f.get(1), f.get(2).isEmpty() ? -1 : Long.parseLong(f.get(2))));
            } else {
                record.put(path, null);
            }
        }
        for (ZipArchiveEntry entry : files) {
            String name = rawName(entry);
            boolean exempt = name.equals(distInfo + "/RECORD") || name.equals(distInfo + "/RECORD.jws")
                    || name.equals(distInfo + "/RECORD.p7s");
            if (!exempt && record.get(name) == null) {
                throw fail("entry '" + name + "' is not listed with a hash in RECORD");
            }
        }
    }

    // One line of a CSV file as Python's csv module writes it.
    private static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /**
     * Checks what was streamed for an entry against RECORD.
     *
     * @throws UnsafeWheelException on a digest or size mismatch
     */
    public void verify(ZipArchiveEntry e, byte[] sha256, long size) {
        String name = rawName(e);
        Recorded r = record.get(name);
        if (r == null) {
            return; // RECORD itself and its signatures
        }
        String actual = "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256);
        if (!r.hash().toLowerCase(Locale.ROOT).startsWith("sha256=")) {
            throw fail("entry '" + name + "' has a RECORD hash of an unsupported algorithm: " + r.hash());
        }
        if (!actual.equals(r.hash())) {
            throw fail("entry '" + name + "' does not match its RECORD hash (" + r.hash() + ", content " + actual + ")");
        }
        if (r.size() >= 0 && r.size() != size) {
            throw fail("entry '" + name + "' is " + size + " bytes, but RECORD says " + r.size());
        }
    }

    /**
     * Whether an entry of this wheel and an entry of {@code other} are the same file: both listed in their RECORD with
     * the same hash and size. Namespace packages split over several wheels ship such files (every {@code nvidia-*}
     * wheel has the same empty {@code nvidia/__init__.py}); installing both is installing one.
     */
    public boolean sameFile(ZipArchiveEntry e, WheelArchive other, ZipArchiveEntry o) {
        Recorded a = record.get(rawName(e));
        Recorded b = other.record.get(rawName(o));
        return a != null && b != null && a.hash().equals(b.hash()) && a.size() == b.size() && a.size() >= 0;
    }

    /** The wheel's file name. */
    public String filename() {
        return filename;
    }

    /** The opened zip. */
    public ZipFile zip() {
        return zip;
    }

    /** The file entries (no directories), in archive order. */
    public List<ZipArchiveEntry> files() {
        return files;
    }

    /** The {@code .dist-info} directory name. */
    public String distInfo() {
        return distInfo;
    }

    /** The first compiled file (or the reason the wheel is not pure), or null for a pure wheel. */
    public String nativeFile() {
        return nativeFile;
    }

    /** Whether the wheel is pure Python: Root-Is-Purelib and no extension modules. */
    public boolean isPure() {
        return nativeFile == null;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}

package io.github.pybundle.core.bundle;

import io.github.pybundle.core.name.ProjectName;
import io.github.pybundle.core.wheel.DistributionFilename;
import io.github.pybundle.core.wheel.WheelFilename;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
import org.apache.commons.compress.archivers.zip.ZipMethod;

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
    /** Largest total uncompressed size of one wheel accepted by default (zip bomb guard). */
    public static final long DEFAULT_MAX_INFLATED = 8L * 1024 * 1024 * 1024;
    private static final int SYMLINK = 0120000;
    // RECORD hash algorithms accepted: sha256 and stronger, as the wheel spec allows; md5 and sha1 are refused.
    private static final Map<String, String> RECORD_ALGORITHMS = Map.of("sha256", "SHA-256", "sha384", "SHA-384",
            "sha512", "SHA-512");

    /** One RECORD row: the algorithm ({@code sha256}...), the urlsafe-base64 digest without padding, the size. */
    record Recorded(String algorithm, String digest, long size) {
    }

    private final String filename;
    private final ZipFile zip;
    private final String distInfo;
    private final boolean purelib;
    private final List<ZipArchiveEntry> files = new ArrayList<>();
    private final Map<String, Recorded> record = new HashMap<>();
    private final String nativeFile;
    private final long inflatedSize;
    private final List<String> warnings = new ArrayList<>();

    private WheelArchive(Path file, long maxInflated) throws IOException {
        this.filename = file.getFileName().toString();
        try {
            this.zip = ZipFile.builder().setPath(file).get();
        } catch (IOException e) {
            throw fail("it is not a readable zip archive (" + e.getMessage() + ")");
        }
        try {
            WheelFilename wf = WheelFilename.parse(filename);
            Set<String> names = new HashSet<>();
            String distInfoDir = null;
            String firstNative = null;
            long total = 0;
            for (ZipArchiveEntry e : java.util.Collections.list(zip.getEntriesInPhysicalOrder())) {
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
                if (e.getSize() > MAX_ENTRY || e.getSize() < 0) {
                    throw fail("entry '" + name + "' declares " + e.getSize() + " bytes, over the " + MAX_ENTRY
                            + "-byte limit");
                }
                if (e.getGeneralPurposeBit().usesEncryption() || e.getGeneralPurposeBit().usesStrongEncryption()) {
                    throw fail("entry '" + name + "' is encrypted, which no wheel may be");
                }
                if (e.getMethod() != ZipMethod.STORED.getCode() && e.getMethod() != ZipMethod.DEFLATED.getCode()) {
                    throw fail("entry '" + name + "' is compressed with " + methodName(e.getMethod())
                            + "; a wheel's entries must be stored or deflated, which every Python can read");
                }
                total += e.getSize();
                if (total > maxInflated) {
                    throw new UnsafeWheelException(filename, "it inflates to more than " + maxInflated
                            + " bytes, the limit for one wheel", "if the wheel is genuine, raise"
                            + " <maxInflatedWheelSize>; otherwise it is a zip bomb: do not use it");
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
            this.inflatedSize = total;
            checkLocalHeaders(file);
            checkBoundaries(file);
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
            String wheelFile = readWheelFile();
            checkWheelVersion(wheelFile);
            this.purelib = wheelFile.lines().anyMatch(l -> l.replace(" ", "").equalsIgnoreCase(
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
        String filename = file.getFileName().toString();
        try (ZipFile z = ZipFile.builder().setPath(file).get()) {
            for (ZipArchiveEntry e : java.util.Collections.list(z.getEntries())) {
                if (e.getName().matches("[^/]+\\.dist-info/WHEEL")) {
                    String dist = e.getName().substring(0, e.getName().indexOf(".dist-info/"));
                    // As open() does: other methods need codecs pybundle does not ship (zstd, xz: an Error).
                    if (e.getMethod() != ZipMethod.STORED.getCode() && e.getMethod() != ZipMethod.DEFLATED.getCode()) {
                        throw new UnsafeWheelException(filename, "its WHEEL file is compressed with "
                                + methodName(e.getMethod()) + "; a wheel's entries must be stored or deflated",
                                "the wheel is malformed");
                    }
                    String text;
                    try (InputStream in = z.getInputStream(e)) {
                        text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                    }
                    List<String> tags = text.lines().filter(l -> l.startsWith("Tag:"))
                            .map(l -> l.substring(4).strip()).toList();
                    if (tags.isEmpty()) {
                        break;
                    }
                    List<String> py = new ArrayList<>();
                    List<String> abi = new ArrayList<>();
                    List<String> plat = new ArrayList<>();
                    for (String t : tags) {
                        String[] p = t.split("-");
                        if (p.length != 3) {
                            throw new UnsafeWheelException(filename, "its WHEEL file has a tag that is not"
                                    + " python-abi-platform: '" + printable(t) + "'", "the wheel is malformed");
                        }
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
                    String name = dist + "-" + String.join(".", py) + "-" + String.join(".", abi) + "-"
                            + String.join(".", plat) + ".whl";
                    // The name becomes a file name: a tag or .dist-info name must not make it a path.
                    String problem = DistributionFilename.problem(name);
                    if (problem != null) {
                        throw new UnsafeWheelException(filename, "its .dist-info directory and WHEEL tags give"
                                + " no safe wheel file name ('" + printable(name) + "': " + problem + ")",
                                "the wheel is malformed or was tampered with; do not use it");
                    }
                    return name;
                }
            }
        } catch (IOException e) {
            throw new UnsafeWheelException(filename, "it is not a readable zip archive (" + e.getMessage() + ")",
                    "the wheel is malformed or was tampered with; do not use it");
        }
        throw new UnsafeWheelException(filename, "it has no .dist-info/WHEEL with tags", "the wheel is malformed");
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
        } catch (IOException | IllegalArgumentException unreadable) { // EOFException too, for a comment past the end
            // fall through to the full check, which names the problem
        }
        try (WheelArchive w = open(file)) {
            return w.isPure();
        }
    }

    /** Opens and checks a wheel, with the default limit on its inflated size. */
    public static WheelArchive open(Path file) throws IOException {
        return new WheelArchive(file, DEFAULT_MAX_INFLATED);
    }

    /** Opens and checks a wheel that may inflate to at most {@code maxInflated} bytes in all. */
    public static WheelArchive open(Path file, long maxInflated) throws IOException {
        return new WheelArchive(file, maxInflated);
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

    private static String printable(String name) {
        return DistributionFilename.printable(name);
    }

    private static String methodName(int method) {
        ZipMethod m = ZipMethod.getMethodByCode(method);
        return m == null ? "compression method " + method : m.name() + " (method " + method + ")";
    }

    // Wheel-Version "1.0": a newer major version must be refused, a newer minor one warned about (wheel spec).
    private void checkWheelVersion(String wheelFile) {
        String value = wheelFile.lines().filter(l -> l.regionMatches(true, 0, "Wheel-Version:", 0, 14))
                .map(l -> l.substring(14).strip()).findFirst().orElse(null);
        java.util.regex.Matcher m = value == null ? null : java.util.regex.Pattern.compile("(\\d{1,9})\\.(\\d{1,9})")
                .matcher(value);
        if (m == null || !m.matches()) {
            throw fail(distInfo + "/WHEEL has " + (value == null ? "no Wheel-Version"
                    : "an unreadable Wheel-Version '" + printable(value) + "'"));
        }
        int major = Integer.parseInt(m.group(1));
        if (major > 1) {
            throw new UnsafeWheelException(filename, "its Wheel-Version " + value + " is newer than 1.x, the format"
                    + " pybundle understands", "use an older version of the package, or a newer pybundle");
        }
        if (major == 1 && Integer.parseInt(m.group(2)) > 0) {
            warnings.add(filename + ": Wheel-Version " + value + " is newer than 1.0; installing it as 1.0");
        }
    }

    /**
     * Refuses ambiguous archives, which different readers see differently: bytes before the first local header (a
     * reader starting there sees another archive), bytes after the end-of-central-directory record, or a comment
     * holding zip records (a second archive).
     */
    private void checkBoundaries(Path file) throws IOException {
        long first = Long.MAX_VALUE;
        for (ZipArchiveEntry e : java.util.Collections.list(zip.getEntries())) {
            first = Math.min(first, e.getLocalHeaderOffset());
        }
        if (first != 0 && first != Long.MAX_VALUE) {
            throw fail("it has " + first + " bytes before its first entry (another archive or a program may hide"
                    + " there)");
        }
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
        return new String(content(e, 64 * 1024), StandardCharsets.UTF_8);
    }

    // The first bytes of a small entry (WHEEL, RECORD): one that cannot be inflated makes the wheel malformed.
    private byte[] content(ZipArchiveEntry e, int max) {
        try (InputStream in = zip.getInputStream(e)) {
            return in.readNBytes(max);
        } catch (IOException ex) {
            throw fail("entry '" + printable(rawName(e)) + "' cannot be read (" + ex.getMessage() + ")");
        }
    }

    private void readRecord() throws IOException {
        ZipArchiveEntry e = zip.getEntry(distInfo + "/RECORD");
        if (e == null) {
            throw fail("it has no " + distInfo + "/RECORD");
        }
        String text = new String(content(e, 64 * 1024 * 1024), StandardCharsets.UTF_8);
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = csv(line);
            String path = f.get(0);
            if (f.size() >= 3 && !f.get(1).isEmpty()) {
                int eq = f.get(1).indexOf('=');
                String algorithm = eq < 0 ? "" : f.get(1).substring(0, eq).toLowerCase(Locale.ROOT);
                if (!RECORD_ALGORITHMS.containsKey(algorithm)) {
                    throw fail("entry '" + printable(path) + "' has a RECORD hash of an unsupported algorithm: "
                            + printable(f.get(1)) + " (sha256, sha384 and sha512 are accepted)");
                }
                long size;
                try {
                    size = f.get(2).isEmpty() ? -1 : Long.parseLong(f.get(2).strip());
                } catch (NumberFormatException ex) {
                    throw fail("entry '" + printable(path) + "' has an unreadable size in RECORD: '"
                            + printable(f.get(2)) + "'");
                }
                record.put(path, new Recorded(algorithm, f.get(1).substring(eq + 1), size));
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
     * The Java name of the digest algorithm that checks an entry against RECORD ({@code SHA-256} and stronger), or
     * null for RECORD itself and its signatures, which are not hashed.
     */
    String recordAlgorithm(ZipArchiveEntry e) {
        Recorded r = record.get(rawName(e));
        return r == null ? null : RECORD_ALGORITHMS.get(r.algorithm());
    }

    /**
     * Checks what was streamed for an entry against RECORD.
     *
     * @param digest the content's digest, in the {@link #recordAlgorithm} of the entry
     * @throws UnsafeWheelException on a digest or size mismatch
     */
    public void verify(ZipArchiveEntry e, byte[] digest, long size) {
        String name = rawName(e);
        Recorded r = record.get(name);
        if (r == null) {
            return; // RECORD itself and its signatures
        }
        String actual = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        if (!actual.equals(r.digest())) {
            throw fail("entry '" + name + "' does not match its RECORD hash (" + r.algorithm() + "=" + r.digest()
                    + ", content " + r.algorithm() + "=" + actual + ")");
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
        return a != null && b != null && a.algorithm().equals(b.algorithm()) && a.digest().equals(b.digest())
                && a.size() == b.size() && a.size() >= 0;
    }

    /** The total uncompressed size its zip directory declares (checked against the content by the verifier). */
    public long inflatedSize() {
        return inflatedSize;
    }

    /** What is not wrong enough to refuse the wheel but worth saying (a newer minor Wheel-Version). */
    public List<String> warnings() {
        return List.copyOf(warnings);
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

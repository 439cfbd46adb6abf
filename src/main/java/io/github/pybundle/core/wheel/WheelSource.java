package io.github.pybundle.core.wheel;

import io.github.pybundle.core.archive.ArchiveContent;
import io.github.pybundle.core.spec.dist.DistributionFilename;
import io.github.pybundle.core.spec.dist.WheelFilename;
import io.github.pybundle.core.spec.metadata.InvalidRecordException;
import io.github.pybundle.core.spec.metadata.RecordFile;
import io.github.pybundle.core.spec.metadata.WheelFile;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.Version;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * One wheel, opened once, that answers everything about it: its entries, RECORD, WHEEL and METADATA, whether it is
 * pure, and its proper name.
 *
 * <p>{@link #open} checks the structure: entry names safe, no links, no duplicates, local headers agreeing with the
 * central directory, sizes capped, {@code .dist-info} matching the file name, and every file listed in RECORD. The
 * content digests are checked as entries are streamed ({@link #verify}), so each byte is read once. Before a wheel is
 * checked, {@link #isPure(Path)}, {@link #properName(Path)} and {@link #readMetadata(Path)} take a cheap look that
 * reads the zip directory and one small entry only, for placing wheels and for resolution.
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/binary-distribution-format/">Binary distribution format</a>
 */
public final class WheelSource implements AutoCloseable {
    /** Largest uncompressed entry accepted (zip bomb guard). */
    public static final long MAX_ENTRY = 3L * 1024 * 1024 * 1024;
    /** Largest total uncompressed size of one wheel accepted by default (zip bomb guard). */
    public static final long DEFAULT_MAX_INFLATED = 8L * 1024 * 1024 * 1024;
    /** The most of a METADATA file read, in bytes. */
    private static final int MAX_METADATA = 50 * 1024 * 1024;
    private static final String MALFORMED = "the wheel is malformed or was tampered with; do not use it";
    private static final Pattern WHEEL_VERSION = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})");

    private final String filename;
    private final ZipFile zip;
    private final String distInfo;
    private final WheelFile wheelFile;
    private final List<ZipArchiveEntry> files = new ArrayList<>();
    private final Map<String, RecordFile.Row> record;
    private final String nativeFile;
    private final long inflatedSize;
    private final List<String> warnings = new ArrayList<>();

    private WheelSource(Path file, long maxInflated) throws IOException {
        this.filename = file.getFileName().toString();
        try {
            this.zip = ZipFile.builder().setPath(file).get();
        } catch (IOException e) {
            throw fail("it is not a readable zip archive (" + e.getMessage() + ")");
        }
        try {
            WheelFilename wf = WheelFilename.parse(filename);
            String[] found = new String[2]; // the .dist-info directory, the first compiled file
            ZipStructure structure = new ZipStructure(file, zip, filename, "wheel", MALFORMED);
            this.inflatedSize = structure.check(maxInflated, (name, e) -> {
                files.add(e);
                int slash = name.indexOf('/');
                if (slash > 0 && name.substring(0, slash).endsWith(".dist-info")
                        && name.indexOf('/', slash + 1) < 0) {
                    if (found[0] != null && !found[0].equals(name.substring(0, slash))) {
                        throw fail("it has two .dist-info directories: " + found[0] + " and "
                                + name.substring(0, slash));
                    }
                    found[0] = name.substring(0, slash);
                }
                if (found[1] == null && WheelEntries.isExtensionModule(name)) {
                    found[1] = name;
                }
            });
            String distInfoDir = found[0];
            String firstNative = found[1];
            if (distInfoDir == null) {
                throw fail("it has no .dist-info directory");
            }
            String[] nv = distInfoDir.substring(0, distInfoDir.length() - ".dist-info".length()).split("-", 2);
            if (nv.length != 2 || !ProjectName.normalize(nv[0]).equals(wf.name())
                    || !Version.isValid(nv[1])
                    || !Version.parse(nv[1]).equals(wf.version())) {
                throw fail(distInfoDir + " does not match the file name's " + wf.name() + " " + wf.version());
            }
            this.distInfo = distInfoDir;
            this.wheelFile = readWheelFile();
            checkWheelVersion();
            this.record = readRecord();
            this.nativeFile = firstNative != null ? firstNative : wheelFile.rootIsPurelib() ? null
                    : "Root-Is-Purelib: false";
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** Opens and checks a wheel, with the default limit on its inflated size. */
    public static WheelSource open(Path file) throws IOException {
        return new WheelSource(file, DEFAULT_MAX_INFLATED);
    }

    /** Opens and checks a wheel that may inflate to at most {@code maxInflated} bytes in all. */
    public static WheelSource open(Path file, long maxInflated) throws IOException {
        return new WheelSource(file, maxInflated);
    }

    /**
     * The PEP 427 file name of a wheel stored under another name (Maven repositories store
     * {@code artifactId-version.whl}): the {@code .dist-info} directory's name and version, and the tags of its
     * WHEEL file. A cheap look: the file is not checked (it cannot be before it has its name).
     */
    public static String properName(Path file) throws IOException {
        String filename = file.getFileName().toString();
        String name = null;
        try (Look look = new Look(file)) {
            WheelFile wheel = look.wheelFile();
            if (wheel != null && !wheel.tags().isEmpty()) {
                name = properName(filename, look.wheelEntry.substring(0, look.wheelEntry.indexOf(".dist-info/")),
                        wheel);
            }
        } catch (IOException unreadable) {
            // The full check names what is wrong (an unknown compression method, a broken directory). It needs a
            // PEP 427 file name, which a Maven repository's artifactId-version.whl is not: then the zip error says it.
            if (DistributionFilename.problem(filename) != null) {
                throw new UnsafeWheelException(filename, "it is not a readable zip archive (" + unreadable.getMessage()
                        + ")", "the wheel is malformed or was tampered with; do not use it");
            }
            try (WheelSource w = open(file)) {
                name = w.properName();
            }
        }
        if (name == null) {
            throw new UnsafeWheelException(filename, "it has no .dist-info/WHEEL with tags", "the wheel is malformed");
        }
        // The name becomes a file name (a Maven wheel is copied under it): a tag must not make it a path.
        String problem = DistributionFilename.problem(name);
        if (problem != null) {
            throw new UnsafeWheelException(filename, "its .dist-info directory and WHEEL tags give no safe wheel file"
                    + " name ('" + printable(name) + "': " + problem + ")", "the wheel is malformed or was tampered"
                    + " with; do not use it");
        }
        return name;
    }

    /**
     * Whether a wheel is pure Python ({@link #isPure()}), from a cheap look at its zip directory and WHEEL file only:
     * for placing wheels before they are opened and checked in full by the archive that receives them. A wheel this
     * quick read cannot make sense of is opened in full, which reports what is wrong with it.
     */
    public static boolean isPure(Path file) throws IOException {
        try (Look look = new Look(file)) {
            if (look.nativeFile != null) {
                return false;
            }
            WheelFile wheel = look.wheelFile();
            if (wheel != null) {
                return wheel.rootIsPurelib();
            }
        } catch (IOException unreadable) { // EOFException too: a comment past the end
            // fall through to the full check, which names the problem
        }
        try (WheelSource w = open(file)) {
            return w.isPure();
        }
    }

    /**
     * The {@code .dist-info/METADATA} of a local wheel file, from a cheap look at its zip directory and that one
     * entry (for resolution, before the wheel is checked in full).
     */
    public static byte[] readMetadata(Path wheel) throws IOException {
        Predicate<String> wanted = metadataEntry(wheel.getFileName().toString());
        try (Look look = new Look(wheel)) {
            for (ZipEntry e : look.entries) {
                if (wanted.test(e.getName())) {
                    try (InputStream in = look.zip.getInputStream(e)) {
                        return in.readNBytes(MAX_METADATA);
                    }
                }
            }
        } catch (IOException unreadable) {
            // As properName: the full reader names what is wrong, or reads what java.util.zip cannot (an entry
            // comment that is not UTF-8); a file not named as PEP 427 says, it gets the zip error.
            String filename = wheel.getFileName().toString();
            if (DistributionFilename.problem(filename) != null) {
                throw new UnsafeWheelException(filename, "it is not a readable zip archive (" + unreadable.getMessage()
                        + ")", MALFORMED);
            }
            try (WheelSource w = open(wheel)) {
                return w.metadata();
            }
        }
        throw new IOException(wheel.getFileName() + " has no .dist-info/METADATA");
    }

    /**
     * Which entry of the wheel {@code filename} is its METADATA, for readers of its zip directory (a local file, or a
     * remote one read by ranges): {@code {name}-{version}.dist-info/METADATA}, whose escaped name starts the file name.
     */
    public static Predicate<String> metadataEntry(String filename) {
        String prefix = filename.substring(0, Math.max(0, filename.indexOf('-'))).toLowerCase(Locale.ROOT) + "-";
        return n -> n.toLowerCase(Locale.ROOT).startsWith(prefix) && n.endsWith(".dist-info/METADATA")
                && n.indexOf('/') == n.lastIndexOf('/');
    }

    // The name from the .dist-info directory's name and version and the WHEEL tags, each tag part listed once in order.
    private static String properName(String filename, String dist, WheelFile wheel) {
        List<String> tags = wheel.tags();
        List<String> py = new ArrayList<>();
        List<String> abi = new ArrayList<>();
        List<String> plat = new ArrayList<>();
        for (String t : tags) {
            String[] p = t.split("-");
            if (p.length != 3) {
                throw new UnsafeWheelException(filename, "its WHEEL file has a tag that is not python-abi-platform: '"
                        + printable(t) + "'", "the wheel is malformed");
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
        return dist + "-" + String.join(".", py) + "-" + String.join(".", abi) + "-" + String.join(".", plat)
                + ".whl";
    }

    /**
     * The cheap look: java.util.zip reads only the zip directory, and an entry only when asked; nothing is checked.
     * The one place that looks at a wheel without opening it in full.
     */
    private static final class Look implements AutoCloseable {
        private final java.util.zip.ZipFile zip;
        private final List<? extends ZipEntry> entries;
        private final String wheelEntry; // the first {dist}.dist-info/WHEEL, or null
        private final String nativeFile; // the first compiled file, or null

        Look(Path file) throws IOException {
            try {
                this.zip = new java.util.zip.ZipFile(file.toFile(), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ZipException("an entry name is not valid UTF-8");
            }
            try {
                this.entries = Collections.list(zip.entries());
                String wheel = null;
                String compiled = null;
                for (ZipEntry e : entries) {
                    String name = e.getName();
                    if (compiled == null && WheelEntries.isExtensionModule(name)) {
                        compiled = name;
                    }
                    if (wheel == null && name.endsWith(".dist-info/WHEEL")
                            && name.length() > ".dist-info/WHEEL".length()
                            && name.indexOf('/') == name.length() - "/WHEEL".length()) {
                        wheel = name;
                    }
                }
                this.wheelEntry = wheel;
                this.nativeFile = compiled;
            } catch (IllegalArgumentException e) { // java.util.zip decodes names lazily: bytes that are no UTF-8
                zip.close();
                throw new ZipException("an entry name or comment is not valid UTF-8");
            } catch (RuntimeException e) {
                zip.close();
                throw e;
            }
        }

        // The WHEEL file, or null when the wheel has none.
        WheelFile wheelFile() throws IOException {
            if (wheelEntry == null) {
                return null;
            }
            try (InputStream in = zip.getInputStream(zip.getEntry(wheelEntry))) {
                return WheelFile.parse(new String(in.readNBytes(WheelFile.MAX_SIZE), StandardCharsets.UTF_8));
            }
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    private static String printable(String name) {
        return DistributionFilename.printable(name);
    }

    // Wheel-Version "1.0": a newer major version must be refused, a newer minor one warned about (wheel spec).
    private void checkWheelVersion() {
        String value = wheelFile.wheelVersion();
        Matcher m = value == null ? null : WHEEL_VERSION.matcher(value);
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

    private UnsafeWheelException fail(String problem) {
        return new UnsafeWheelException(filename, problem, MALFORMED);
    }

    // commons-compress turns '\' into '/' for some entries, which would hide a backslash path: use the raw bytes.
    public static String rawName(ZipArchiveEntry e) {
        return e.getRawName() == null ? e.getName() : new String(e.getRawName(), StandardCharsets.UTF_8);
    }

    // A small .dist-info file read while opening: one that cannot be inflated makes the wheel malformed.
    private byte[] readWhileOpening(String name, int limit) {
        try {
            return readDistInfo(name, limit);
        } catch (IOException e) {
            throw fail("entry '" + printable(distInfo + "/" + name) + "' cannot be read (" + e.getMessage() + ")");
        }
    }

    private WheelFile readWheelFile() throws IOException {
        byte[] text = readWhileOpening("WHEEL", WheelFile.MAX_SIZE);
        if (text == null) {
            throw fail("it has no " + distInfo + "/WHEEL");
        }
        return WheelFile.parse(new String(text, StandardCharsets.UTF_8));
    }

    private Map<String, RecordFile.Row> readRecord() throws IOException {
        byte[] text = readWhileOpening("RECORD", 64 * 1024 * 1024);
        if (text == null) {
            throw fail("it has no " + distInfo + "/RECORD");
        }
        Map<String, RecordFile.Row> rows;
        try {
            rows = RecordFile.read(new String(text, StandardCharsets.UTF_8));
        } catch (InvalidRecordException e) {
            throw fail(e.getMessage());
        }
        for (ZipArchiveEntry entry : files) {
            String name = rawName(entry);
            boolean exempt = name.equals(distInfo + "/RECORD") || name.equals(distInfo + "/RECORD.jws")
                    || name.equals(distInfo + "/RECORD.p7s");
            RecordFile.Row row = rows.get(name);
            if (!exempt && (row == null || !row.hashed())) {
                throw fail("entry '" + name + "' is not listed with a hash in RECORD");
            }
        }
        return rows;
    }

    /**
     * A file of the {@code .dist-info} directory ({@code WHEEL}, {@code entry_points.txt}...), at most {@code limit}
     * bytes of it, or null when the wheel has none.
     */
    public byte[] readDistInfo(String name, int limit) throws IOException {
        ZipArchiveEntry e = zip.getEntry(distInfo + "/" + name);
        if (e == null) {
            return null;
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readNBytes(limit);
        }
    }

    /** The wheel's METADATA (core metadata), as the cheap {@link #readMetadata(Path)} reads it. */
    public byte[] metadata() throws IOException {
        byte[] m = readDistInfo("METADATA", MAX_METADATA);
        if (m == null) {
            throw new IOException(filename + " has no .dist-info/METADATA");
        }
        return m;
    }

    /** The wheel's WHEEL file. */
    public WheelFile wheelFile() {
        return wheelFile;
    }

    /** The wheel's RECORD, by path. */
    public Map<String, RecordFile.Row> record() {
        return Collections.unmodifiableMap(record);
    }

    /** Whether the wheel's root goes to purelib (WHEEL's {@code Root-Is-Purelib}), else to platlib. */
    public boolean rootIsPurelib() {
        return wheelFile.rootIsPurelib();
    }

    /** Its PEP 427 file name from its own {@code .dist-info} and WHEEL, whatever the file is called. */
    public String properName() {
        if (wheelFile.tags().isEmpty()) {
            throw new UnsafeWheelException(filename, "it has no .dist-info/WHEEL with tags", "the wheel is malformed");
        }
        return properName(filename, distInfo.substring(0, distInfo.length() - ".dist-info".length()), wheelFile);
    }

    /**
     * An entry as archive content: its stored bytes copied as they are (stored or deflated, the only methods
     * {@link #open} admits), proven the same file as another wheel's by its RECORD hash and size. The copy is not
     * checked: {@link WheelVerifier} checks every entry before an archive is committed.
     */
    public ArchiveContent content(ZipArchiveEntry e) {
        RecordFile.Row r = record.get(rawName(e));
        ArchiveContent.Identity identity = r != null && r.hashed() && r.size() >= 0
                ? new ArchiveContent.Identity(r.algorithm() + "=" + r.digest(), r.size()) : null;
        return ArchiveContent.raw(zip, e, identity);
    }

    /**
     * The Java name of the digest algorithm that checks an entry against RECORD ({@code SHA-256} and stronger), or
     * null for RECORD itself and its signatures, which are not hashed.
     */
    String recordAlgorithm(ZipArchiveEntry e) {
        RecordFile.Row r = record.get(rawName(e));
        return r == null || !r.hashed() ? null : RecordFile.ALGORITHMS.get(r.algorithm());
    }

    /**
     * Checks what was streamed for an entry against RECORD.
     *
     * @param digest the content's digest, in the {@link #recordAlgorithm} of the entry
     * @throws UnsafeWheelException on a digest or size mismatch
     */
    public void verify(ZipArchiveEntry e, byte[] digest, long size) {
        String name = rawName(e);
        RecordFile.Row r = record.get(name);
        if (r == null || !r.hashed()) {
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

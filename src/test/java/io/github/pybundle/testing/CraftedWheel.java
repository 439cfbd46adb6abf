package io.github.pybundle.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds wheels the way an attacker would: any entry names (control characters, names that differ only in case),
 * any WHEEL and RECORD text, then raw patches of the zip's headers (compression method, encryption flag, name
 * encoding flag) and bytes before or after the archive. Each entry is listed in RECORD with its real hash unless the
 * test says otherwise, so only the flaw under test is wrong.
 */
public final class CraftedWheel {
    private final String name;
    private final String version;
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private final Map<String, String> comments = new LinkedHashMap<>();
    private String wheelFile;
    private String recordAlgorithm = "sha256";
    private Charset nameCharset = StandardCharsets.UTF_8;

    public CraftedWheel(String name, String version) {
        this.name = name;
        this.version = version;
        this.wheelFile = "Wheel-Version: 1.0\nGenerator: crafted\nRoot-Is-Purelib: true\nTag: py3-none-any\n";
    }

    /** {@code name-version-py3-none-any.whl}. */
    public String filename() {
        return name + "-" + version + "-py3-none-any.whl";
    }

    public CraftedWheel file(String entry, String content) {
        entries.put(entry, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** An entry with binary content (an ELF file built by {@link ElfBuilder}, say). */
    public CraftedWheel file(String entry, byte[] content) {
        entries.put(entry, content.clone());
        return this;
    }

    public CraftedWheel wheelFile(String text) {
        this.wheelFile = text;
        return this;
    }

    /** The algorithm of RECORD's hashes: sha256 (the default), sha384, sha512, md5... */
    public CraftedWheel recordAlgorithm(String algorithm) {
        this.recordAlgorithm = algorithm;
        return this;
    }

    /** The charset entry names are written in (the zip's UTF-8 flag is set only for non-ASCII UTF-8 names). */
    public CraftedWheel nameCharset(Charset charset) {
        this.nameCharset = charset;
        return this;
    }

    /** A comment on the entry {@code entry} in the zip's central directory. */
    public CraftedWheel comment(String entry, String comment) {
        comments.put(entry, comment);
        return this;
    }

    /** The wheel's bytes. */
    public byte[] build() throws IOException {
        String distInfo = name + "-" + version + ".dist-info/";
        Map<String, byte[]> all = new LinkedHashMap<>(entries);
        all.put(distInfo + "METADATA", ("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n")
                .getBytes(StandardCharsets.UTF_8));
        all.put(distInfo + "WHEEL", wheelFile.getBytes(StandardCharsets.UTF_8));
        StringBuilder record = new StringBuilder();
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
            record.append(e.getKey()).append(',').append(recordAlgorithm).append('=')
                    .append(Base64.getUrlEncoder().withoutPadding().encodeToString(digest(e.getValue())))
                    .append(',').append(e.getValue().length).append('\n');
        }
        record.append(distInfo).append("RECORD,,\n");
        all.put(distInfo + "RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out, nameCharset)) {
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setComment(comments.get(e.getKey()));
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private byte[] digest(byte[] data) {
        String jca = switch (recordAlgorithm) {
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            case "sha1" -> "SHA-1";
            default -> "MD5";
        };
        try {
            return java.security.MessageDigest.getInstance(jca).digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The wheel {@code w} with its RECORD edited: a wheel whose files do not match their RECORD. */
    /** The file name of {@link #nativeWithWrongRecordHash()}. */
    public static final String WRONG_RECORD_HASH = "fast-1.0-cp311-cp311-manylinux2014_x86_64.whl";

    /**
     * A native wheel "fast 1.0" whose structure is sound (the placement's quick look passes) but whose one file does
     * not match its RECORD hash: it fails only when checked.
     */
    public static byte[] nativeWithWrongRecordHash() throws IOException {
        CraftedWheel fast = new CraftedWheel("fast", "1.0").wheelFile("Wheel-Version: 1.0\nGenerator: crafted\n"
                + "Root-Is-Purelib: false\nTag: cp311-cp311-manylinux2014_x86_64\n")
                .file("fast/__init__.py", "x = 1\n");
        return rewriteRecord(fast, record -> record.replaceFirst("fast/__init__.py,sha256=[^,]*,",
                "fast/__init__.py,sha256=" + "A".repeat(43) + ","));
    }

    public static byte[] rewriteRecord(CraftedWheel w, java.util.function.UnaryOperator<String> edit)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(
                w.build())); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                byte[] content = in.readAllBytes();
                zip.write(e.getName().endsWith("/RECORD") ? edit.apply(new String(content, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8) : content);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /**
     * Sets a 16-bit field of every local and central header of the entry named {@code entry}: {@code local} and
     * {@code central} are the field's offsets in each header (the method is at 8 and 10, the flags at 6 and 8).
     */
    public static byte[] patchHeaders(byte[] zip, String entry, int local, int central, int value) {
        return patchHeaders(zip, entry.getBytes(StandardCharsets.UTF_8), local, central, value);
    }

    /** {@link #patchHeaders(byte[], String, int, int, int)} for an entry named by its raw bytes. */
    public static byte[] patchHeaders(byte[] zip, byte[] name, int local, int central, int value) {
        byte[] z = zip.clone();
        for (int i = 0; i + 46 < z.length; i++) {
            if (z[i] != 0x50 || z[i + 1] != 0x4b) {
                continue;
            }
            if (z[i + 2] == 3 && z[i + 3] == 4 && matches(z, i + 30, u16(z, i + 26), name)) {
                put16(z, i + local, value);
            } else if (z[i + 2] == 1 && z[i + 3] == 2 && matches(z, i + 46, u16(z, i + 28), name)) {
                put16(z, i + central, value);
            }
        }
        return z;
    }

    /** Sets the compression method of an entry in both its headers. */
    public static byte[] method(byte[] zip, String entry, int method) {
        return patchHeaders(zip, entry, 8, 10, method);
    }

    /** Sets the general-purpose flags of an entry in both its headers. */
    public static byte[] flags(byte[] zip, String entry, int flags) {
        return patchHeaders(zip, entry, 6, 8, flags);
    }

    private static boolean matches(byte[] z, int off, int len, byte[] name) {
        return len == name.length && off + len <= z.length && java.util.Arrays.equals(z, off, off + len, name, 0, len);
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
    }
}

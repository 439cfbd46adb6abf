package io.github.pybundle.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds small valid wheels in memory, described inline by tests. */
public final class TestWheels {
    private TestWheels() {
    }

    /** A wheel: name, version, tag, dependencies, requires-python, and module files. */
    public record Spec(String name, String version, String tag, List<String> requiresDist, String requiresPython,
                       Map<String, String> files) {
        public String filename() {
            return name.replace('-', '_') + "-" + version + "-" + tag + ".whl";
        }

        public String distInfo() {
            return name.replace('-', '_') + "-" + version + ".dist-info/";
        }

        public String metadata() {
            StringBuilder sb = new StringBuilder("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version
                    + "\n");
            if (requiresPython != null) {
                sb.append("Requires-Python: ").append(requiresPython).append('\n');
            }
            requiresDist.forEach(r -> sb.append("Requires-Dist: ").append(r).append('\n'));
            return sb.toString();
        }
    }

    // 2024-01-01T00:00:00Z: a wheel built twice from one spec is one file (one sha256), as a real one would be.
    private static final long FIXED_TIME = 1704067200000L;

    public static Spec pure(String name, String version, String... requiresDist) {
        return new Spec(name, version, "py3-none-any", List.of(requiresDist), null,
                Map.of(name.replace('-', '_') + "/__init__.py", "VERSION = '" + version + "'\n"));
    }

    /** The wheel's bytes, with WHEEL, METADATA and a correct RECORD. */
    public static byte[] build(Spec spec) throws IOException {
        return build(spec, "");
    }

    /** The wheel's bytes, with {@code extraMetadata} (header lines, e.g. {@code "License: MIT\n"}) in METADATA. */
    public static byte[] build(Spec spec, String extraMetadata) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        spec.files().forEach((k, v) -> entries.put(k, v.getBytes(StandardCharsets.UTF_8)));
        entries.put(spec.distInfo() + "METADATA", (spec.metadata() + extraMetadata).getBytes(StandardCharsets.UTF_8));
        entries.put(spec.distInfo() + "WHEEL", ("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: "
                + spec.tag().endsWith("-none-any") + "\nTag: " + spec.tag() + "\n").getBytes(StandardCharsets.UTF_8));
        StringBuilder record = new StringBuilder();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            record.append(e.getKey()).append(",sha256=").append(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(sha256(e.getValue()))).append(',').append(e.getValue().length).append('\n');
        }
        record.append(spec.distInfo()).append("RECORD,,\n");
        entries.put(spec.distInfo() + "RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(FIXED_TIME); // the same spec gives the same bytes, whenever it is built
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }
}

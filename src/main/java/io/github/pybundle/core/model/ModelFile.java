package io.github.pybundle.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a model file says about the libraries it was written with, read without executing anything: a pickle's opcodes
 * ({@code .pkl}, {@code .pickle}), a joblib file's (uncompressed, or compressed with zlib or gzip), a skops file's
 * {@code schema.json}. Other files, and other joblib compressions (lz4, xz, lzma), are shipped unchecked.
 *
 * @param modules the modules it imports
 * @param sklearnVersions the values of scikit-learn's {@code _sklearn_version} it holds
 * @param unchecked why it could not be read, or null when it was
 * @param partial why it was read only in part (joblib's raw arrays), or null
 */
public record ModelFile(Set<String> modules, Set<String> sklearnVersions, String unchecked, String partial) {
    private static final int SKOPS_SCHEMA_LIMIT = 64 << 20;

    static ModelFile unchecked(String why) {
        return new ModelFile(Set.of(), Set.of(), why, null);
    }

    /** Whether its extension is one the check reads. */
    public static boolean readable(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".pkl") || n.endsWith(".pickle") || n.endsWith(".joblib") || n.endsWith(".skops");
    }

    /** Reads {@code file}; a malformed pickle or skops file fails with {@link PickleReader.MalformedPickleException}. */
    public static ModelFile read(Path file) throws IOException {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".skops")) {
            return skops(file);
        }
        if (!readable(file)) {
            return unchecked("not a pickle, joblib or skops file");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(8);
            byte[] head = raw.readNBytes(6);
            raw.reset();
            InputStream in = raw;
            if (head.length >= 2 && (head[0] & 0xff) == 0x78 && ((head[0] & 0xff) << 8 | (head[1] & 0xff)) % 31 == 0) {
                in = new InflaterInputStream(raw); // joblib's compress=True, or 'zlib'
            } else if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                in = new GZIPInputStream(raw);
            } else if (head.length >= 4 && (head[0] & 0xff) == 0x04 && head[1] == 0x22 && head[2] == 0x4d
                    && head[3] == 0x18) {
                return unchecked("compressed with lz4, which pybundle does not read");
            } else if (head.length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z'
                    && head[3] == 'X' && head[4] == 'Z') {
                return unchecked("compressed with xz, which pybundle does not read");
            } else if (head.length >= 3 && head[0] == 0x5d && head[1] == 0 && head[2] == 0) {
                return unchecked("compressed with lzma, which pybundle does not read");
            } else if (head.length >= 2 && head[0] == 'Z' && head[1] == 'F') {
                return unchecked("written by joblib before 0.10, which pybundle does not read");
            }
            PickleReader.Contents c;
            try {
                c = PickleReader.read(in);
            } catch (java.util.zip.ZipException e) {
                throw new PickleReader.MalformedPickleException("its compressed stream is corrupt: " + e.getMessage());
            }
            return new ModelFile(c.modules(), c.values("_sklearn_version"), null, c.partial());
        }
    }

    // skops: a zip whose schema.json names each object's __module__; an estimator's state holds _sklearn_version.
    private static ModelFile skops(Path file) throws IOException {
        JsonNode schema;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry("schema.json");
            if (e == null) {
                return unchecked("a skops file without schema.json");
            }
            try (InputStream in = zip.getInputStream(e)) {
                byte[] b = in.readNBytes(SKOPS_SCHEMA_LIMIT + 1);
                if (b.length > SKOPS_SCHEMA_LIMIT) {
                    return unchecked("its schema.json is larger than 64 MiB");
                }
                schema = new ObjectMapper().readTree(b);
            }
        } catch (java.util.zip.ZipException | com.fasterxml.jackson.core.JacksonException e) {
            throw new PickleReader.MalformedPickleException("it is no skops file (a zip with schema.json): "
                    + e.getMessage());
        } catch (IllegalArgumentException e) { // java.util.zip: an entry name that is not valid UTF-8
            throw new PickleReader.MalformedPickleException("it is no skops file (a zip with schema.json): an entry"
                    + " name is not valid UTF-8");
        }
        Set<String> modules = new LinkedHashSet<>();
        Set<String> versions = new LinkedHashSet<>();
        walk(schema, modules, versions, 0);
        return new ModelFile(modules, versions, null, null);
    }

    private static void walk(JsonNode node, Set<String> modules, Set<String> versions, int depth) {
        if (node == null || depth > 500) {
            return;
        }
        if (node.isObject()) {
            JsonNode m = node.get("__module__");
            if (m != null && m.isTextual()) {
                modules.add(m.asText());
            }
            JsonNode v = node.get("_sklearn_version");
            if (v != null && v.isTextual()) {
                versions.add(v.asText());
            } else if (v != null && v.isObject() && v.path("content").isTextual()) {
                String content = v.path("content").asText(); // with is_json, the value as JSON: "\"1.3.2\""
                if (v.path("is_json").asBoolean(false)) {
                    try {
                        JsonNode parsed = new ObjectMapper().readTree(content);
                        content = parsed != null && parsed.isTextual() ? parsed.asText() : null;
                    } catch (com.fasterxml.jackson.core.JacksonException e) {
                        content = null;
                    }
                }
                if (content != null) {
                    versions.add(content);
                }
            }
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                fields.put(f.getKey(), f.getValue());
            }
            fields.values().forEach(c -> walk(c, modules, versions, depth + 1));
        } else if (node.isArray()) {
            node.forEach(c -> walk(c, modules, versions, depth + 1));
        }
    }
}

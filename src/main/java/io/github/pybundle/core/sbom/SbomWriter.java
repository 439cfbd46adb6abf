package io.github.pybundle.core.sbom;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.spec.name.ProjectName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a CycloneDX 1.6 JSON SBOM of a bundle: the project as {@code metadata.component}, the tool that made it,
 * and one component per thing the bundle ships.
 *
 * <p>The same inputs give the same bytes: the timestamp is the build's (e.g. {@code project.build.outputTimestamp}),
 * components are sorted by normalised name, then version and purl, and the serial number is a name-based (version 5)
 * UUID of the document's own bytes without it, so it changes exactly when the content does.
 *
 * <p>The JSON is written with Jackson rather than the CycloneDX Java library: the library would bring about 8 MB of
 * further jars (XML, JSON schema validation, Apache Commons) and a newer Jackson than the plugin's for one small
 * document. The tests check the output against the CycloneDX 1.6 schema with that library.
 *
 * @see <a href="https://cyclonedx.org/docs/1.6/json/">CycloneDX 1.6 JSON reference</a>
 */
public final class SbomWriter {
    /** The CycloneDX version written. */
    public static final String SPEC_VERSION = "1.6";
    // RFC 9562 name space for URLs; the name is the document without its serial number.
    private static final UUID NAMESPACE = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");
    // Built on first use (Jackson takes a while to load), not when the class is: fileName() needs none of it.
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
        static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"))
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
    }

    private SbomWriter() {
    }

    /**
     * What an SBOM describes.
     *
     * @param subject the project the bundle is built from ({@code metadata.component}, type application)
     * @param tool the tool that wrote the SBOM, or null
     * @param components what the bundle ships, in any order
     * @param timestamp the build's time
     */
    public record Sbom(Component subject, Component tool, List<Component> components, Instant timestamp) {
        public Sbom {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(timestamp, "timestamp");
            components = List.copyOf(components);
        }
    }

    /** {@code {finalName}-bom.json}. */
    public static String fileName(String finalName) {
        return finalName + "-bom.json";
    }

    /** Writes {@code sbom} to {@code target} atomically, readable by all ({@code rw-r--r--}). */
    public static Path write(Path target, Sbom sbom) throws IOException {
        return write(target, json(sbom));
    }

    /** Writes a document {@link #json} made to {@code target} atomically, readable by all ({@code rw-r--r--}). */
    public static Path write(Path target, byte[] bytes) throws IOException {
        AtomicFile.write(target, temp -> {
            Files.write(temp, bytes);
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                temp.toFile().setReadable(true, false); // not a POSIX file system
            }
        });
        return target;
    }

    /** The document as UTF-8 JSON, two-space indented, ending in a newline. */
    public static byte[] json(Sbom sbom) throws IOException {
        Set<String> refs = new HashSet<>();
        ObjectNode metadata = Json.MAPPER.createObjectNode();
        metadata.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(sbom.timestamp().truncatedTo(
                ChronoUnit.SECONDS)));
        if (sbom.tool() != null) {
            metadata.putObject("tools").putArray("components").add(component(sbom.tool(), refs));
        }
        metadata.set("component", component(sbom.subject(), refs));
        List<Component> sorted = new ArrayList<>(sbom.components());
        sorted.sort(Comparator.comparing((Component c) -> ProjectName.normalize(c.name()))
                .thenComparing(c -> c.name())
                .thenComparing(c -> c.version() == null ? "" : c.version())
                .thenComparing(c -> c.purl() == null ? "" : c.purl())
                .thenComparing(c -> c.sha256() == null ? "" : c.sha256()));
        ArrayNode components = Json.MAPPER.createArrayNode();
        for (Component c : sorted) {
            components.add(component(c, refs));
        }
        ObjectNode unsigned = document(null, metadata, components);
        String serial = "urn:uuid:" + nameBased(Json.PRETTY.writeValueAsBytes(unsigned));
        byte[] body = Json.PRETTY.writeValueAsBytes(document(serial, metadata, components));
        byte[] out = new byte[body.length + 1];
        System.arraycopy(body, 0, out, 0, body.length);
        out[body.length] = '\n';
        return out;
    }

    private static ObjectNode document(String serial, ObjectNode metadata, ArrayNode components) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("$schema", "http://cyclonedx.org/schema/bom-" + SPEC_VERSION + ".schema.json");
        root.put("bomFormat", "CycloneDX");
        root.put("specVersion", SPEC_VERSION);
        if (serial != null) {
            root.put("serialNumber", serial);
        }
        root.put("version", 1);
        root.set("metadata", metadata);
        root.set("components", components);
        return root;
    }

    private static ObjectNode component(Component c, Set<String> refs) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", c.type().json());
        String ref = c.purl() != null ? c.purl() : c.type().json() + ":" + c.name()
                + (c.version() == null ? "" : "@" + c.version());
        String unique = ref;
        for (int i = 2; !refs.add(unique); i++) {
            unique = ref + "#" + i; // bom-refs are unique within a document
        }
        n.put("bom-ref", unique);
        putIfSet(n, "group", c.group());
        n.put("name", c.name());
        putIfSet(n, "version", c.version());
        if (c.sha256() != null) {
            n.set("hashes", sha256(c.sha256()));
        }
        if (!c.licenses().isEmpty()) {
            ArrayNode licenses = n.putArray("licenses");
            for (Component.License l : c.licenses()) {
                if (l.expression() != null) {
                    licenses.addObject().put("expression", l.expression()).put("acknowledgement", "declared");
                } else {
                    ObjectNode license = licenses.addObject().putObject("license");
                    license.put("name", l.name());
                    license.put("acknowledgement", "declared");
                    if (l.text() != null) {
                        license.putObject("text").put("contentType", "text/plain").put("content", l.text());
                    }
                }
            }
        }
        putIfSet(n, "purl", c.purl());
        if (!c.references().isEmpty()) {
            ArrayNode refsNode = n.putArray("externalReferences");
            for (Component.Reference r : c.references()) {
                ObjectNode e = refsNode.addObject();
                e.put("url", r.url());
                putIfSet(e, "comment", r.comment());
                e.put("type", r.type());
                if (r.sha256() != null) {
                    e.set("hashes", sha256(r.sha256()));
                }
            }
        }
        if (!c.properties().isEmpty()) {
            ArrayNode props = n.putArray("properties");
            c.properties().forEach(p -> props.addObject().put("name", p.name()).put("value", p.value()));
        }
        return n;
    }

    private static ArrayNode sha256(String hex) {
        ArrayNode hashes = Json.MAPPER.createArrayNode();
        hashes.addObject().put("alg", "SHA-256").put("content", hex);
        return hashes;
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    // RFC 9562 version 5: SHA-1 of the name space and the name, with the version and variant bits set.
    static UUID nameBased(byte[] name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha1.update(ByteBuffer.allocate(16).putLong(NAMESPACE.getMostSignificantBits())
                .putLong(NAMESPACE.getLeastSignificantBits()).array());
        byte[] h = sha1.digest(name);
        h[6] = (byte) (h[6] & 0x0f | 0x50);
        h[8] = (byte) (h[8] & 0x3f | 0x80);
        ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
        return new UUID(b.getLong(), b.getLong());
    }
}

package io.github.pybundle.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.spec.dist.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Index pages (and small metadata files) by URL, with the HTTP validators ({@code ETag}, {@code Last-Modified})
 * needed to re-validate them cheaply; a 404 is remembered too, so offline builds know an index lacks a project.
 */
public final class PageCache {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A cached response. */
    public record Entry(int status, String contentType, String etag, String lastModified, byte[] body) {
    }

    private final Path root;

    public PageCache(Path root) {
        this.root = CacheBucket.PAGES.in(root);
    }

    private Path file(String url) {
        byte[] h = Digests.sha256().digest(url.getBytes(StandardCharsets.UTF_8));
        return root.resolve(HexFormat.of().formatHex(h) + ".json");
    }

    /** The entry for {@code url}, or null (also when the entry is unreadable: it is then fetched again). */
    public Entry get(String url) {
        Path f = file(url);
        try {
            if (!Files.isRegularFile(f)) {
                return null;
            }
            JsonNode n = JSON.readTree(f.toFile());
            if (!url.equals(n.path("url").asText())) {
                return null;
            }
            return new Entry(n.path("status").asInt(), text(n, "contentType"), text(n, "etag"),
                    text(n, "lastModified"), Base64.getDecoder().decode(n.path("body").asText()));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    public void put(String url, Entry e) throws IOException {
        Files.createDirectories(root);
        ObjectNode n = JSON.createObjectNode().put("url", url).put("status", e.status())
                .put("contentType", e.contentType()).put("etag", e.etag()).put("lastModified", e.lastModified())
                .put("body", Base64.getEncoder().encodeToString(e.body()));
        AtomicFile.write(file(url), temp -> JSON.writeValue(temp.toFile(), n));
    }
}

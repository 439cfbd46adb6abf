package io.github.pybundle.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.spec.dist.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Index pages (and small metadata files) by URL, with the HTTP validators ({@code ETag}, {@code Last-Modified})
 * needed to re-validate them cheaply; a 404 is remembered too, so offline builds know an index lacks a project.
 *
 * <p>One file per URL, {@code <sha256 of the URL>.page}: a line of JSON (the URL, the status, the content type, the
 * validators), then the body as it came. A large project's page is megabytes (numpy's JSON page, 2 MB): kept as it
 * is, it is written and read as fast as the disk allows, where base64 inside JSON took a tenth of a second each way.
 */
public final class PageCache {
    // Made when an entry is first read, not with the cache: the build that opens it has not started its first request
    // yet, and Jackson's classes take a tenth of a second to load in a JVM that has just started.
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** A cached response. */
    public record Entry(int status, String contentType, String etag, String lastModified, byte[] body) {
    }

    private final Path root;

    public PageCache(Path root) {
        this.root = CacheBucket.PAGES.in(root);
    }

    private Path file(String url) {
        byte[] h = Digests.sha256().digest(url.getBytes(StandardCharsets.UTF_8));
        return root.resolve(HexFormat.of().formatHex(h) + ".page");
    }

    /** The entry for {@code url}, or null (also when the entry is unreadable: it is then fetched again). */
    public Entry get(String url) {
        Path f = file(url);
        try {
            if (!Files.isRegularFile(f)) {
                return null;
            }
            byte[] all = Files.readAllBytes(f);
            int newline = 0;
            while (newline < all.length && all[newline] != '\n') {
                newline++;
            }
            if (newline == all.length) {
                return null; // cut short: fetched again
            }
            JsonNode n = Json.MAPPER.readTree(all, 0, newline);
            if (!url.equals(n.path("url").asText()) || n.path("length").asLong(-1) != all.length - newline - 1) {
                return null;
            }
            return new Entry(n.path("status").asInt(), text(n, "contentType"), text(n, "etag"),
                    text(n, "lastModified"), java.util.Arrays.copyOfRange(all, newline + 1, all.length));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // A JSON string (or null) in ASCII: quotes and backslashes escaped, every other character outside printable ASCII
    // as a \\u escape of four hex digits
    static void jsonString(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    public void put(String url, Entry e) throws IOException {
        Files.createDirectories(root);
        // Written by hand, not with Jackson: a cold build writes its first page before Jackson has loaded
        StringBuilder line = new StringBuilder(256).append("{\"url\":");
        jsonString(line, url);
        line.append(",\"status\":").append(e.status()).append(",\"contentType\":");
        jsonString(line, e.contentType());
        line.append(",\"etag\":");
        jsonString(line, e.etag());
        line.append(",\"lastModified\":");
        jsonString(line, e.lastModified());
        line.append(",\"length\":").append(e.body().length).append('}');
        byte[] header = line.toString().getBytes(StandardCharsets.US_ASCII); // one line: every newline is escaped
        AtomicFile.write(file(url), temp -> {
            try (java.io.OutputStream out = AtomicFile.output(temp)) {
                out.write(header);
                out.write('\n');
                out.write(e.body());
            }
        });
    }
}

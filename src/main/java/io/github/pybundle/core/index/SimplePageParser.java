package io.github.pybundle.core.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Reads a project page of the simple repository API: the JSON form (PEP 691) or the HTML form (PEP 503 with the
 * attributes of PEP 592 yanking, PEP 658/714 metadata and {@code data-requires-python}). Also reads flat find-links
 * pages, which are HTML pages of links to distribution files.
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/simple-repository-api/">Simple repository API</a>
 */
public final class SimplePageParser {
    /** The JSON media type of API version 1. */
    public static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
    /** The Accept header: JSON preferred, HTML as fallback (PEP 691 content negotiation). */
    public static final String ACCEPT = JSON_TYPE + ", application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SimplePageParser() {
    }

    /** Parses a page by its content type; {@code pageUrl} resolves relative links. */
    public static List<DistributionFile> parse(byte[] body, String contentType, URI pageUrl, String sourceId)
            throws IOException {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith(JSON_TYPE) || type.startsWith("application/json")) {
            return json(body, pageUrl, sourceId);
        }
        return html(body, pageUrl, sourceId);
    }

    static List<DistributionFile> json(byte[] body, URI pageUrl, String sourceId) throws IOException {
        JsonNode root = JSON.readTree(body);
        String api = root.path("meta").path("api-version").asText("1.0");
        if (!api.startsWith("1.")) {
            throw new IOException("unsupported simple API version " + api + " at " + Secrets.mask(pageUrl));
        }
        List<DistributionFile> files = new ArrayList<>();
        for (JsonNode f : root.path("files")) {
            Map<String, String> hashes = new LinkedHashMap<>();
            f.path("hashes").fields().forEachRemaining(e -> hashes.put(e.getKey().toLowerCase(Locale.ROOT),
                    e.getValue().asText().toLowerCase(Locale.ROOT)));
            JsonNode yanked = f.path("yanked");
            String yankReason = yanked.isTextual() ? yanked.asText() : yanked.asBoolean(false) ? "" : null;
            // PEP 714: "core-metadata", falling back to the older "dist-info-metadata".
            JsonNode md = f.has("core-metadata") ? f.get("core-metadata") : f.path("dist-info-metadata");
            Map<String, String> mdHashes = null;
            if (md.isObject()) {
                mdHashes = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) md::fields) {
                    mdHashes.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText().toLowerCase(Locale.ROOT));
                }
            } else if (md.asBoolean(false)) {
                mdHashes = Map.of();
            }
            JsonNode rp = f.path("requires-python");
            URI url = resolve(pageUrl, f.path("url").asText());
            files.add(new DistributionFile(f.path("filename").asText(), stripFragment(url), hashes,
                    rp.isTextual() && !rp.asText().isBlank() ? rp.asText() : null, yankReason, mdHashes,
                    f.path("size").asLong(-1), sourceId));
        }
        return files;
    }

    static List<DistributionFile> html(byte[] body, URI pageUrl, String sourceId) {
        Document doc = Jsoup.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8), pageUrl.toString());
        List<DistributionFile> files = new ArrayList<>();
        for (Element a : doc.select("a[href]")) {
            String absolute = a.absUrl("href"); // honours <base href>
            URI url = absolute.isEmpty() ? resolve(pageUrl, a.attr("href")) : resolve(pageUrl, absolute);
            String filename = a.text().strip();
            if (filename.isEmpty()) {
                String path = url.getPath();
                filename = path.substring(path.lastIndexOf('/') + 1);
            }
            Map<String, String> hashes = new LinkedHashMap<>();
            String fragment = url.getFragment();
            if (fragment != null && fragment.contains("=")) {
                String[] kv = fragment.split("=", 2);
                hashes.put(kv[0].toLowerCase(Locale.ROOT), kv[1].toLowerCase(Locale.ROOT));
            }
            String yanked = a.hasAttr("data-yanked") ? a.attr("data-yanked") : null;
            String md = a.hasAttr("data-core-metadata") ? a.attr("data-core-metadata")
                    : a.hasAttr("data-dist-info-metadata") ? a.attr("data-dist-info-metadata") : null;
            Map<String, String> mdHashes = null;
            if (md != null && !md.equalsIgnoreCase("false")) {
                mdHashes = new LinkedHashMap<>();
                if (md.contains("=")) {
                    String[] kv = md.split("=", 2);
                    mdHashes.put(kv[0].toLowerCase(Locale.ROOT), kv[1].toLowerCase(Locale.ROOT));
                }
            }
            String rp = a.hasAttr("data-requires-python") ? a.attr("data-requires-python") : null;
            files.add(new DistributionFile(filename, stripFragment(url), hashes,
                    rp == null || rp.isBlank() ? null : rp, yanked, mdHashes, -1, sourceId));
        }
        return files;
    }

    private static URI resolve(URI base, String href) {
        return base.resolve(href.strip().replace(" ", "%20"));
    }

    private static URI stripFragment(URI u) {
        String s = u.toString();
        int hash = s.indexOf('#');
        return hash < 0 ? u : URI.create(s.substring(0, hash));
    }
}

package io.github.pybundle.core.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pybundle.core.net.Secrets;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.dist.DistributionFilename;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

    // Made with the first JSON page: an HTML index never loads them. The usual page is read with the streaming parser
    // alone (jackson-core), fewer classes than the tree's.
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static final class Tokens {
        static final JsonFactory FACTORY = new JsonFactory();
    }

    private SimplePageParser() {
    }

    /** Parses a page by its content type; {@code pageUrl} resolves relative links. Unusable links are left out. */
    public static List<DistributionFile> parse(byte[] body, String contentType, URI pageUrl, String sourceId)
            throws IOException {
        return parse(body, contentType, pageUrl, sourceId, new ArrayList<>());
    }

    /**
     * Parses a page by its content type, leaving out (and describing in {@code ignored}) every link that is unsafe to
     * use: a file name that is not a plain wheel or sdist name (path separators, control characters), a digest that
     * is not the hex form of its algorithm, or a URL of a scheme the page may not point to ({@code file:} from a
     * remote page, anything but http and https).
     */
    public static List<DistributionFile> parse(byte[] body, String contentType, URI pageUrl, String sourceId,
                                               List<String> ignored) throws IOException {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        List<DistributionFile> all = type.startsWith(JSON_TYPE) || type.startsWith("application/json")
                ? json(body, pageUrl, sourceId, ignored) : html(body, pageUrl, sourceId, ignored);
        return usable(all, pageUrl, ignored);
    }

    /** The files that are safe to use; each unsafe one is described in {@code ignored}. */
    static List<DistributionFile> usable(List<DistributionFile> files, URI pageUrl, List<String> ignored) {
        List<DistributionFile> out = new ArrayList<>();
        for (DistributionFile f : files) {
            String problem = problem(f, pageUrl);
            if (problem == null) {
                out.add(f);
            } else if (!problem.equals(DistributionFilename.NOT_A_DISTRIBUTION)) {
                // A plain name of another kind (a legacy .exe, .egg or .tar.bz2 upload) is no attack: left out
                // quietly, as pip and uv do; only what could do harm is reported.
                ignored.add("'" + DistributionFilename.printable(f.filename()) + "': " + problem);
            }
        }
        return out;
    }

    private static String problem(DistributionFile f, URI pageUrl) {
        String nameProblem = DistributionFilename.problem(f.filename());
        if (nameProblem != null) {
            return nameProblem;
        }
        String scheme = f.url().getScheme() == null ? "" : f.url().getScheme().toLowerCase(Locale.ROOT);
        boolean localPage = "file".equalsIgnoreCase(pageUrl.getScheme());
        if (!(scheme.equals("https") || scheme.equals("http") || scheme.equals("file") && localPage)) {
            return "its URL scheme '" + scheme + "' is not allowed on " + (localPage ? "a local" : "a remote")
                    + " page";
        }
        for (Map<String, String> hashes : Arrays.asList(f.hashes(), f.metadataHashes())) {
            if (hashes == null) {
                continue;
            }
            for (Map.Entry<String, String> h : hashes.entrySet()) {
                if (Digests.HEX_LENGTH.containsKey(h.getKey()) && !Digests.isHex(h.getKey(), h.getValue())) {
                    return "its " + h.getKey() + " digest '" + DistributionFilename.printable(h.getValue())
                            + "' is not " + Digests.HEX_LENGTH.get(h.getKey()) + " hex digits";
                }
            }
        }
        return null;
    }

    /** The files of a JSON page; a link that is no valid URI is left out and described in {@code ignored}. */
    static List<DistributionFile> json(byte[] body, URI pageUrl, String sourceId, List<String> ignored)
            throws IOException {
        List<String> streamedIgnored = new ArrayList<>();
        List<DistributionFile> streamed = streamed(body, pageUrl, sourceId, streamedIgnored);
        if (streamed != null) {
            ignored.addAll(streamedIgnored);
            return streamed;
        }
        return tree(body, pageUrl, sourceId, ignored);
    }

    /** Thrown inside {@link #streamed} where a page leaves the shape it reads: the tree parser reads it instead. */
    private static final class NotPlain extends Exception {
        NotPlain() {
            super(null, null, false, false);
        }
    }

    // A page of the usual shape read as a stream of tokens, with no tree built: numpy's page (4,400 files, 2 MB) in
    // about half the time in a JVM that has just started. Null for any other shape (a value of another type than the
    // API's, a key twice, malformed JSON), which the tree parser reads with its own rules, so that both give the same
    // answer for every page.
    static List<DistributionFile> streamed(byte[] body, URI pageUrl, String sourceId, List<String> ignored) {
        if (body.length > STREAMED_BYTES) {
            return null;
        }
        try (JsonParser p = Tokens.FACTORY.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            String api = "1.0";
            List<DistributionFile> files = List.of();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (JsonToken t; (t = p.nextToken())
                    != JsonToken.END_OBJECT; ) {
                String key = p.currentName();
                if (!seen.add(key)) {
                    throw new NotPlain();
                }
                JsonToken value = p.nextToken();
                if (key.equals("meta")) {
                    expect(value, JsonToken.START_OBJECT);
                    boolean versionSeen = false;
                    while (p.nextToken() != JsonToken.END_OBJECT) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if (field.equals("api-version")) {
                            if (versionSeen || v != JsonToken.VALUE_STRING) {
                                throw new NotPlain();
                            }
                            versionSeen = true;
                            api = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else if (key.equals("files")) {
                    expect(value, JsonToken.START_ARRAY);
                    files = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        DistributionFile f = streamedFile(p, pageUrl, sourceId, ignored);
                        if (f != null) {
                            files.add(f);
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (!api.startsWith("1.")) {
                return null; // the tree parser says so
            }
            return files;
        } catch (NotPlain | IOException | RuntimeException e) {
            return null;
        }
    }

    // Jackson checks a string's length (at most 20,000,000 characters) only when its text is made, which skipping a
    // value never does, while the tree makes every one: a page that could hold a longer string goes to the tree, which
    // refuses it. Its other limits (nesting, numbers, names) hold for every token read, skipped or not.
    private static final int STREAMED_BYTES = StreamReadConstraints.DEFAULT_MAX_STRING_LEN;

    private static void expect(JsonToken actual,
                               JsonToken expected) throws NotPlain {
        if (actual != expected) {
            throw new NotPlain();
        }
    }

    // One file object, the parser on its START_OBJECT; null when its URL is no valid URI.
    private static DistributionFile streamedFile(JsonParser p, URI pageUrl,
                                                 String sourceId, List<String> ignored) throws IOException, NotPlain {
        expect(p.currentToken(), JsonToken.START_OBJECT);
        String filename = "";
        String url = "";
        Map<String, String> hashes = new LinkedHashMap<>();
        String requiresPython = null;
        String yanked = null;
        Map<String, String> coreMetadata = null;
        boolean hasCoreMetadata = false;
        Map<String, String> distInfoMetadata = null;
        long size = -1;
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String field = p.currentName();
            if (!seen.add(field)) {
                throw new NotPlain();
            }
            JsonToken v = p.nextToken();
            switch (field) {
                case "filename" -> filename = text(p, v);
                case "url" -> url = text(p, v);
                case "hashes" -> hashes = digests(p, v);
                case "requires-python" -> {
                    if (v != JsonToken.VALUE_NULL) {
                        String rp = text(p, v);
                        requiresPython = rp.isBlank() ? null : rp;
                    }
                }
                case "yanked" -> yanked = switch (v) {
                    case VALUE_TRUE -> "";
                    case VALUE_FALSE, VALUE_NULL -> null;
                    case VALUE_STRING -> p.getText();
                    default -> throw new NotPlain();
                };
                case "core-metadata" -> {
                    hasCoreMetadata = true;
                    coreMetadata = metadataDigests(p, v);
                }
                case "dist-info-metadata" -> distInfoMetadata = metadataDigests(p, v);
                case "size" -> {
                    expect(v, JsonToken.VALUE_NUMBER_INT);
                    size = p.getLongValue();
                }
                default -> p.skipChildren();
            }
        }
        URI resolved = resolve(pageUrl, url, filename, ignored);
        if (resolved == null) {
            return null;
        }
        return new DistributionFile(filename, stripFragment(resolved), hashes, requiresPython, yanked,
                hasCoreMetadata ? coreMetadata : distInfoMetadata, size, sourceId);
    }

    private static String text(JsonParser p, JsonToken v)
            throws IOException, NotPlain {
        expect(v, JsonToken.VALUE_STRING);
        return p.getText();
    }

    // An object of algorithm → hex digest, both lower-cased.
    private static Map<String, String> digests(JsonParser p,
                                               JsonToken v) throws IOException, NotPlain {
        expect(v, JsonToken.START_OBJECT);
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String algorithm = p.currentName().toLowerCase(Locale.ROOT);
            String digest = text(p, p.nextToken()).toLowerCase(Locale.ROOT);
            if (out.put(algorithm, digest) != null) {
                throw new NotPlain(); // the tree keeps the last of two equal keys, not of two that differ in case
            }
        }
        return out;
    }

    // PEP 714's core-metadata (or the older dist-info-metadata): digests, true (a file without them), or false.
    private static Map<String, String> metadataDigests(JsonParser p,
                                                       JsonToken v)
            throws IOException, NotPlain {
        return switch (v) {
            case START_OBJECT -> digests(p, v);
            case VALUE_TRUE -> Map.of();
            case VALUE_FALSE, VALUE_NULL -> null;
            default -> throw new NotPlain();
        };
    }

    // The same page as a tree: every shape the API allows and the coercions of Jackson's tree model.
    static List<DistributionFile> tree(byte[] body, URI pageUrl, String sourceId, List<String> ignored)
            throws IOException {
        JsonNode root = Json.MAPPER.readTree(body);
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
            URI url = resolve(pageUrl, f.path("url").asText(), f.path("filename").asText(), ignored);
            if (url == null) {
                continue;
            }
            files.add(new DistributionFile(f.path("filename").asText(), stripFragment(url), hashes,
                    rp.isTextual() && !rp.asText().isBlank() ? rp.asText() : null, yankReason, mdHashes,
                    f.path("size").asLong(-1), sourceId));
        }
        return files;
    }

    /** The files of an HTML page; a link that is no valid URI is left out and described in {@code ignored}. */
    static List<DistributionFile> html(byte[] body, URI pageUrl, String sourceId, List<String> ignored) {
        Document doc = Jsoup.parse(new String(body, StandardCharsets.UTF_8), pageUrl.toString());
        List<DistributionFile> files = new ArrayList<>();
        for (Element a : doc.select("a[href]")) {
            String absolute = a.absUrl("href"); // honours <base href>
            URI url = resolve(pageUrl, absolute.isEmpty() ? a.attr("href") : absolute, a.text().strip(), ignored);
            if (url == null) {
                continue;
            }
            String filename = a.text().strip();
            if (filename.isEmpty()) {
                String path = url.getPath() == null ? "" : url.getPath(); // none in an opaque URI (mailto:x)
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

    // Null for an href that is no valid URI even with its spaces escaped: that link is left out, and said so (not
    // with the href, which may hold a password).
    private static URI resolve(URI base, String href, String filename, List<String> ignored) {
        try {
            return base.resolve(href.strip().replace(" ", "%20"));
        } catch (IllegalArgumentException e) {
            ignored.add("'" + DistributionFilename.printable(filename) + "': its URL is not a valid URI");
            return null;
        }
    }

    private static URI stripFragment(URI u) {
        String s = u.toString();
        int hash = s.indexOf('#');
        return hash < 0 ? u : URI.create(s.substring(0, hash));
    }
}

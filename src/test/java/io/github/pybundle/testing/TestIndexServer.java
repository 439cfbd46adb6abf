package io.github.pybundle.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A simple-repository index served on 127.0.0.1 for tests: JSON (PEP 691) or HTML (PEP 503) project pages by content
 * negotiation, PEP 658 metadata files, files with range support, ETags, optional Basic auth, and faults injected
 * per path. Every request is logged.
 */
public final class TestIndexServer implements AutoCloseable {
    /** How the server answers one request for a path. */
    public enum Fault { STATUS_503, STATUS_429, RESET_MID_BODY, TRUNCATE, STALL, IGNORE_RANGE }

    /** One logged request. */
    public record Request(String method, String path, String accept, String authorization, String range,
                          String ifNoneMatch) {
    }

    /** A file the index lists. */
    public static final class File {
        public final String project;
        public final String filename;
        public byte[] content;
        public String requiresPython;
        public String yanked;
        public boolean metadataFile = true;
        public String listedSha256; // what the page claims; defaults to the real digest
        public byte[] metadata;

        File(String project, String filename, byte[] content) {
            this.project = project;
            this.filename = filename;
            this.content = content;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, List<File>> projects = new ConcurrentHashMap<>();
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final List<Request> log = Collections.synchronizedList(new ArrayList<>());
    private volatile String username;
    private volatile String password;
    private volatile boolean html;
    private volatile long bodyDelayMillis;
    private volatile String redirectFilesTo; // base URL that /files/ redirect to

    public TestIndexServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-index");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT/simple/}. */
    public String indexUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/simple/";
    }

    /** The same server under another host name (for cross-host redirects). */
    public String otherHostBase() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Adds a wheel to a project; returns it for tuning. */
    public File add(TestWheels.Spec spec) throws IOException {
        File f = new File(spec.name().toLowerCase().replace('_', '-'), spec.filename(), TestWheels.build(spec));
        f.metadata = spec.metadata().getBytes(StandardCharsets.UTF_8);
        projects.computeIfAbsent(f.project, k -> Collections.synchronizedList(new ArrayList<>())).add(f);
        return f;
    }

    /** Adds a non-wheel file (e.g. an sdist) to a project. */
    public File addFile(String project, String filename, byte[] content) {
        File f = new File(project, filename, content);
        f.metadataFile = false;
        projects.computeIfAbsent(project, k -> Collections.synchronizedList(new ArrayList<>())).add(f);
        return f;
    }

    public void requireBasicAuth(String user, String pass) {
        this.username = user;
        this.password = pass;
    }

    public void serveHtml(boolean value) {
        this.html = value;
    }

    public void delayBodies(long millis) {
        this.bodyDelayMillis = millis;
    }

    public void redirectFilesTo(String base) {
        this.redirectFilesTo = base;
    }

    /** Queues faults for the next requests of a path (e.g. {@code /files/x.whl}). */
    public void fault(String path, Fault... fs) {
        faults.computeIfAbsent(path, k -> new ArrayDeque<>()).addAll(List.of(fs));
    }

    public List<Request> requests() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Requests for a path (GET), counted. */
    public long count(String path) {
        return requests().stream().filter(r -> r.path().equals(path)).count();
    }

    public String fileUrl(String filename) {
        return "http://127.0.0.1:" + port() + "/files/" + filename;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        log.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Accept"),
                ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Range"),
                ex.getRequestHeaders().getFirst("If-None-Match")));
        try {
            if (username != null && !path.startsWith("/redirected/")) {
                String expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                        .getBytes(StandardCharsets.UTF_8));
                if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
                    send(ex, 401, "text/plain", "unauthorized".getBytes(StandardCharsets.UTF_8), null);
                    return;
                }
            }
            Deque<Fault> queue = faults.get(path);
            Fault fault = queue == null ? null : queue.poll();
            if (fault == Fault.STATUS_503 || fault == Fault.STATUS_429) {
                send(ex, fault == Fault.STATUS_503 ? 503 : 429, "text/plain", new byte[0], null);
                return;
            }
            if (path.startsWith("/simple/")) {
                page(ex, path.substring("/simple/".length()).replace("/", ""));
            } else if (path.startsWith("/files/") || path.startsWith("/redirected/")) {
                file(ex, path.substring(path.lastIndexOf('/') + 1), fault);
            } else {
                send(ex, 404, "text/plain", new byte[0], null);
            }
        } finally {
            ex.close();
        }
    }

    private void page(HttpExchange ex, String project) throws IOException {
        List<File> files = projects.get(project);
        if (files == null) {
            send(ex, 404, "text/plain", new byte[0], null);
            return;
        }
        String accept = ex.getRequestHeaders().getFirst("Accept");
        boolean json = !html && accept != null && accept.contains("application/vnd.pypi.simple.v1+json");
        byte[] body = json ? json(project, files) : html(project, files);
        String etag = "\"" + TestWheels.sha256Hex(body).substring(0, 16) + "\"";
        ex.getResponseHeaders().add("ETag", etag);
        if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
            ex.sendResponseHeaders(304, -1);
            return;
        }
        send(ex, 200, json ? "application/vnd.pypi.simple.v1+json" : "text/html", body, null);
    }

    private byte[] json(String project, List<File> files) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("meta").put("api-version", "1.1");
        root.put("name", project);
        ArrayNode arr = root.putArray("files");
        synchronized (files) {
            for (File f : files) {
                ObjectNode n = arr.addObject().put("filename", f.filename).put("url", "../../files/" + f.filename);
                n.putObject("hashes").put("sha256", f.listedSha256 != null ? f.listedSha256
                        : TestWheels.sha256Hex(f.content));
                if (f.requiresPython != null) {
                    n.put("requires-python", f.requiresPython);
                }
                if (f.yanked != null) {
                    if (f.yanked.isEmpty()) {
                        n.put("yanked", true);
                    } else {
                        n.put("yanked", f.yanked);
                    }
                }
                if (f.metadataFile && f.metadata != null) {
                    n.putObject("core-metadata").put("sha256", TestWheels.sha256Hex(f.metadata));
                }
                n.put("size", f.content.length);
            }
        }
        return JSON.writeValueAsBytes(root);
    }

    private byte[] html(String project, List<File> files) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html><html><body><h1>Links for " + project + "</h1>\n");
        synchronized (files) {
            for (File f : files) {
                sb.append("<a href=\"../../files/").append(f.filename).append("#sha256=")
                        .append(f.listedSha256 != null ? f.listedSha256 : TestWheels.sha256Hex(f.content)).append('"');
                if (f.requiresPython != null) {
                    sb.append(" data-requires-python=\"").append(f.requiresPython.replace("<", "&lt;")
                            .replace(">", "&gt;")).append('"');
                }
                if (f.yanked != null) {
                    sb.append(" data-yanked=\"").append(f.yanked).append('"');
                }
                if (f.metadataFile && f.metadata != null) {
                    sb.append(" data-dist-info-metadata=\"sha256=").append(TestWheels.sha256Hex(f.metadata))
                            .append('"');
                }
                sb.append('>').append(f.filename).append("</a><br/>\n");
            }
        }
        return sb.append("</body></html>").toString().getBytes(StandardCharsets.UTF_8);
    }

    private void file(HttpExchange ex, String name, Fault fault) throws IOException {
        boolean metadata = name.endsWith(".metadata");
        String filename = metadata ? name.substring(0, name.length() - ".metadata".length()) : name;
        File f = projects.values().stream().flatMap(List::stream).filter(x -> x.filename.equals(filename))
                .findFirst().orElse(null);
        if (f == null || metadata && (!f.metadataFile || f.metadata == null)) {
            send(ex, 404, "text/plain", new byte[0], null);
            return;
        }
        if (redirectFilesTo != null && ex.getRequestURI().getPath().startsWith("/files/")) {
            ex.getResponseHeaders().add("Location", redirectFilesTo + "/redirected/" + name);
            ex.sendResponseHeaders(302, -1);
            return;
        }
        byte[] body = metadata ? f.metadata : f.content;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null && fault != Fault.IGNORE_RANGE && range.startsWith("bytes=")) {
            String spec = range.substring(6);
            long start;
            long end;
            if (spec.startsWith("-")) {
                long n = Long.parseLong(spec.substring(1));
                start = Math.max(0, body.length - n);
                end = body.length - 1;
            } else {
                String[] p = spec.split("-", -1);
                start = Long.parseLong(p[0]);
                end = p[1].isEmpty() ? body.length - 1 : Math.min(body.length - 1, Long.parseLong(p[1]));
            }
            byte[] part = java.util.Arrays.copyOfRange(body, (int) start, (int) end + 1);
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + end + "/" + body.length);
            send(ex, 206, "application/octet-stream", part, null);
            return;
        }
        ex.getResponseHeaders().add("Accept-Ranges", "bytes");
        send(ex, 200, "application/octet-stream", body, fault);
    }

    private void send(HttpExchange ex, int status, String type, byte[] body, Fault fault) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length == 0) {
            return;
        }
        OutputStream out = ex.getResponseBody();
        int half = body.length / 2;
        if (bodyDelayMillis > 0) {
            sleep(bodyDelayMillis);
        }
        if (fault == Fault.RESET_MID_BODY || fault == Fault.TRUNCATE || fault == Fault.STALL) {
            out.write(body, 0, half);
            out.flush();
            if (fault == Fault.STALL) {
                sleep(3_000);
            }
            // Abandon the exchange: the client sees fewer bytes than Content-Length, then end of stream.
            throw new IOException("fault injected: " + fault);
        }
        out.write(body);
        out.flush();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A URI of this server. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

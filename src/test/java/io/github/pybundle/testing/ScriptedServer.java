package io.github.pybundle.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * An HTTP server on 127.0.0.1 that answers each path with exactly what the test scripted (a hostile index's pages,
 * a body that drips), optionally behind Basic auth, and logs every request with its Authorization header.
 */
public final class ScriptedServer implements AutoCloseable {
    /** One logged request. */
    public record Request(String path, String authorization) {
    }

    private record Answer(String contentType, byte[] body, long dripMillis, String location) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> log = Collections.synchronizedList(new ArrayList<>());
    private volatile String expectedAuthorization;

    public ScriptedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "scripted-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code path} with {@code body}. */
    public ScriptedServer answer(String path, String contentType, String body) {
        answers.put(path, new Answer(contentType, body.getBytes(StandardCharsets.UTF_8), 0, null));
        return this;
    }

    /** Answers {@code path} with {@code body}, one byte every {@code millis} ms. */
    public ScriptedServer drip(String path, byte[] body, long millis) {
        answers.put(path, new Answer("application/octet-stream", body, millis, null));
        return this;
    }

    /** Answers {@code path} with a 302 to {@code location}. */
    public ScriptedServer redirect(String path, String location) {
        answers.put(path, new Answer("text/plain", new byte[0], 0, location));
        return this;
    }

    /** Requires Basic auth on every path. */
    public ScriptedServer requireBasicAuth(String user, String password) {
        expectedAuthorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public List<Request> requests() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        log.add(new Request(path, auth));
        try (ex) {
            if (expectedAuthorization != null && !expectedAuthorization.equals(auth)) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"scripted\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            Answer a = answers.get(path);
            if (a == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (a.location() != null) {
                ex.getResponseHeaders().add("Location", a.location());
                ex.sendResponseHeaders(302, -1);
                return;
            }
            ex.getResponseHeaders().add("Content-Type", a.contentType());
            ex.sendResponseHeaders(200, a.body().length);
            OutputStream out = ex.getResponseBody();
            if (a.dripMillis() == 0) {
                out.write(a.body());
                return;
            }
            for (byte b : a.body()) {
                out.write(b);
                out.flush();
                Thread.sleep(a.dripMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the client gave up: nothing to do
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

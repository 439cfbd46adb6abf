package io.github.pybundle.core.net;

import io.github.pybundle.core.Generator;
import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTP GETs as a careful package client makes them: bounded retries with exponential backoff and jitter on transient
 * failures (5xx, 408, 429, resets, truncated bodies, stalls), immediate failure on 401/403 with the masked URL,
 * redirects followed by hand so that credentials never travel to another host, plain http refused unless allowed (or
 * loopback, as pip allows), proxies chosen per host, and {@code file:} URLs read directly.
 *
 * <p>{@code HttpURLConnection} is used because its read timeout bounds silence on the socket, so a transfer that
 * stalls mid-body fails instead of hanging the build, and because it is faster here than the JDK's HTTP/2 client
 * ({@code java.net.http}) in the JVM a build runs in, which has just started: fetching the medium benchmark set's 11
 * project pages and then its 11 wheels (130 MB) from the real index, 6 at a time, took 1.2-1.4 s of wall time and
 * 2.2-2.5 s of CPU with this class's way (a connection per thread, kept alive), and 2.2-2.3 s and 3.4-3.7 s over
 * HTTP/2 (two multiplexed connections), on 2 cores, three runs each, alternating. The HTTP/2 client's asynchronous
 * stack costs more to load and compile than the handshakes it saves.
 */
public final class HttpFetcher {
    private static final int MAX_REDIRECTS = 10;
    private static final long MAX_RETRY_AFTER_MS = 30_000;

    /** A response with its body in memory (index pages, metadata files, ranges). */
    public record Response(int status, byte[] body, Map<String, String> headers, URI uri) {
        /** A header value (name lower-case), or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A body streamed to disk. */
    public record Download(Path file, byte[] sha256, long size) {
    }

    /** Waits between tries; replaceable in tests. */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final NetworkSettings settings;
    private final BuildListener listener;
    private final Sleeper sleeper;
    // Made on the first https request: a build that only reads its cache does not pay for parsing the CA bundle.
    private volatile SSLSocketFactory sslFactory;

    public HttpFetcher(NetworkSettings settings, BuildListener listener) {
        this(settings, listener, Thread::sleep);
    }

    public HttpFetcher(NetworkSettings settings, BuildListener listener, Sleeper sleeper) {
        this.settings = settings;
        this.listener = listener;
        this.sleeper = sleeper;
    }

    /** GETs {@code uri} into memory. 200, 206, 304 and 404 are returned; other failures throw. */
    public Response get(URI uri, Credentials credentials, Map<String, String> headers) {
        return withRetries(uri, () -> {
            long deadline = deadline();
            Exchange ex = open(uri, credentials, headers);
            try {
                if (ex.status == 404 || ex.status == 304) {
                    return new Response(ex.status, new byte[0], ex.headers, ex.uri);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long n = copy(ex, out, null, deadline);
                checkLength(ex, n);
                return new Response(ex.status, out.toByteArray(), ex.headers, ex.uri);
            } finally {
                ex.close();
            }
        });
    }

    /**
     * Streams {@code uri} into {@code target} (replaced atomically), computing its sha256 on the way. A body shorter
     * than its Content-Length is never kept.
     */
    public Download download(URI uri, Credentials credentials, Path target) {
        return withRetries(uri, () -> {
            long deadline = deadline();
            Exchange ex = open(uri, credentials, Map.of());
            Path temp = local("cannot create a temporary file beside " + target, () -> Files.createTempFile(
                    target.toAbsolutePath().getParent(), ".download", ".part"));
            try {
                if (ex.status == 404) {
                    throw new FetchException("not found (404): " + Secrets.mask(ex.uri), 404,
                            "the index lists a file it does not serve; try again later or report it to the index");
                }
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long n;
                try (OutputStream out = AtomicFile.output(temp)) {
                    n = copy(ex, out, sha, deadline);
                }
                checkLength(ex, n);
                local("cannot move the download into " + target, () -> Files.move(temp, target,
                        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE));
                return new Download(target, sha.digest(), n);
            } finally {
                ex.close();
                Files.deleteIfExists(temp);
            }
        });
    }

    /** A partial response: the bytes and the total length of the resource (from Content-Range), or -1. */
    public record Range(byte[] bytes, long start, long total) {
    }

    /**
     * GETs a byte range ({@code Range: bytes=...}, e.g. {@code -65536} for the last 64 KiB, or {@code 100-199}), or
     * returns null when the server answers with the whole resource instead (that body is not read), or with a partial
     * one whose {@code Content-Range} does not say where it starts. A body longer than the range asked for is refused.
     */
    public Range range(URI uri, Credentials credentials, String spec) {
        long asked = rangeLength(spec);
        return withRetries(uri, () -> {
            long deadline = deadline();
            Exchange ex = open(uri, credentials, Map.of("Range", "bytes=" + spec, "Accept-Encoding", "identity"));
            try {
                if (ex.status != 206) {
                    return null;
                }
                long[] where = contentRange(ex.headers.get("content-range")); // bytes start-end/total
                if (where == null) {
                    return null;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long n = copy(ex, new java.io.FilterOutputStream(out) {
                    private long written;

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        written += len;
                        if (written > asked) {
                            throw new IOException("the server sent more than the " + asked + " bytes asked for");
                        }
                        out.write(b, off, len);
                    }
                }, null, deadline);
                checkLength(ex, n);
                return new Range(out.toByteArray(), where[0], where[1]);
            } finally {
                ex.close();
            }
        });
    }

    // How many bytes a range spec asks for at most: "-N" (the last N), "A-B", or "A-" (to the end: no bound).
    static long rangeLength(String spec) {
        int dash = spec.indexOf('-');
        if (dash == 0) {
            return Long.parseLong(spec.substring(1));
        }
        if (dash == spec.length() - 1) {
            return Long.MAX_VALUE;
        }
        return Long.parseLong(spec.substring(dash + 1)) - Long.parseLong(spec.substring(0, dash)) + 1;
    }

    // The start and the total length (-1 when unknown) of a Content-Range value "bytes start-end/total", or null.
    static long[] contentRange(String value) {
        if (value == null || !value.startsWith("bytes ")) {
            return null;
        }
        String[] parts = value.substring(6).split("[-/]");
        try {
            long start = Long.parseLong(parts[0].trim());
            long total = parts.length > 2 && !parts[2].trim().equals("*") ? Long.parseLong(parts[2].trim()) : -1;
            return start < 0 ? null : new long[] {start, total};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private interface Attempt<T> {
        T run() throws Exception;
    }

    /** Thrown inside an attempt for failures worth another try. */
    private static final class Transient extends RetryPolicy.HttpStatusException {
        private static final long serialVersionUID = 1L;

        Transient(String message, int status, long retryAfterMs) {
            super(message, status, retryAfterMs);
        }
    }

    private <T> T withRetries(URI uri, Attempt<T> attempt) {
        long backoff = settings.initialBackoff().toMillis();
        for (int tryNo = 0; ; tryNo++) {
            try {
                return attempt.run();
            } catch (FetchException e) {
                throw e;
            } catch (UnknownHostException e) {
                throw new FetchException("cannot resolve the host of " + Secrets.mask(uri), e,
                        "check the URL and your network or proxy settings ({%settings} {@proxies})");
            } catch (FileNotFoundException | NoSuchFileException e) {
                throw new FetchException("not found: " + Secrets.mask(uri), 404, "check the path");
            } catch (RetryPolicy.LocalIOException e) {
                throw new FetchException(e.getMessage() + ": " + e.getCause().getMessage(), e,
                        "free disk space or fix the permissions of the cache directory, then build again");
            } catch (IOException e) {
                int status = e instanceof Transient t ? t.status() : 0;
                String why = Secrets.mask(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                if (!RetryPolicy.isTransient(e)) {
                    throw new FetchException("failed to fetch " + Secrets.mask(uri) + ": " + why, e, !(e instanceof
                            javax.net.ssl.SSLException) ? "check the URL and the network"
                            : settings.caCertificates() == null ? "the server's certificate is not trusted by this"
                            + " JVM; set pip's 'cert' (PIP_CERT) to your CA bundle"
                            : "the server's certificate is not trusted by the CA bundle " + settings.caCertificates()
                            + " (pip's 'cert', PIP_CERT); point it at a bundle that holds the server's CA");
                }
                if (tryNo >= settings.retries()) {
                    throw new FetchException("failed after " + (tryNo + 1) + " tries: " + Secrets.mask(uri) + ": "
                            + why, status, "the index or network is unreliable; try again, or raise the retries");
                }
                long wait = e instanceof Transient t && t.retryAfterMs() > 0 ? t.retryAfterMs()
                        : (long) (backoff * (0.5 + ThreadLocalRandom.current().nextDouble()));
                listener.log(Level.WARN, "Retrying " + Secrets.mask(uri) + " in " + wait + " ms (" + why + ")");
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new FetchException("interrupted while fetching " + Secrets.mask(uri), ie);
                }
                backoff *= 2;
            } catch (Exception e) {
                throw new FetchException("failed to fetch " + Secrets.mask(uri) + ": " + Secrets.mask(e.toString()), e);
            }
        }
    }

    /** An open response: status, headers, final URL, body stream. */
    private static final class Exchange implements AutoCloseable {
        final int status;
        final Map<String, String> headers;
        final URI uri;
        final InputStream stream;

        Exchange(int status, Map<String, String> headers, URI uri, InputStream stream) {
            this.status = status;
            this.headers = headers;
            this.uri = uri;
            this.stream = stream;
        }

        InputStream body() {
            return stream;
        }

        long contentLength() {
            String v = headers.get("content-length");
            try {
                return v == null ? -1 : Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public void close() throws IOException {
            if (stream != null) {
                stream.close();
            }
        }
    }

    private Exchange open(URI start, Credentials credentials, Map<String, String> headers) throws IOException {
        URI uri = start;
        Credentials creds = credentials;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            if ("file".equals(uri.getScheme())) {
                FileTransport.Opened f = FileTransport.open(uri);
                return new Exchange(f.found() ? 200 : 404, f.found() ? Map.of("content-length",
                        String.valueOf(f.size())) : Map.of(), uri, f.body());
            }
            checkSecure(uri);
            HttpURLConnection c = connect(uri, creds, headers);
            int status = c.getResponseCode();
            Map<String, String> h = headers(c);
            if (status >= 300 && status < 400 && status != 304 && h.containsKey("location")) {
                URI next = uri.resolve(h.get("location"));
                drain(c);
                String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("https") && !scheme.equals("http")) {
                    // A server must not make pybundle read this machine's files (file:) or speak another protocol.
                    throw new FetchException("refusing a redirect from " + Secrets.mask(uri) + " to a " + scheme
                            + ": URL", 0, "an index may only redirect to http or https URLs; report it to the index");
                }
                if (!Origin.same(uri, next)) {
                    creds = null; // never send credentials to another host
                }
                uri = next;
                continue;
            }
            if (status == 401 || status == 403) {
                drain(c);
                throw new FetchException((status == 401 ? "authentication required (401)" : "access denied (403)")
                        + " for " + Secrets.mask(uri) + (creds == null ? " (no credentials were sent)"
                        : " (as user '" + creds.username() + "')"), status,
                        "add a {@server} with the index's {@id} and your user name and password to {%settings},"
                                + " or check the ones there");
            }
            if (status >= 500 || status == 408 || status == 429) {
                drain(c);
                throw new Transient("HTTP " + status, status, retryAfter(h.get("retry-after")));
            }
            if (status != 200 && status != 206 && status != 304 && status != 404) {
                drain(c);
                throw new FetchException("unexpected HTTP " + status + " for " + Secrets.mask(uri), status,
                        "check the index URL");
            }
            InputStream body = status == 404 || status == 304 ? null : c.getInputStream();
            if (status == 404) {
                drain(c);
            }
            return new Exchange(status, h, uri, body);
        }
        throw new FetchException("too many redirects starting at " + Secrets.mask(start), 0, "check the index URL");
    }

    private void checkSecure(URI uri) {
        if ("https".equals(uri.getScheme()) || settings.allowInsecure()) {
            return;
        }
        if ("http".equals(uri.getScheme()) && isLoopback(uri.getHost())) {
            return; // as pip: loopback is a secure origin
        }
        throw new FetchException("refusing plain-http index " + Secrets.mask(uri)
                + ": packages and credentials would travel unencrypted", 0,
                "use https, or set {@allowInsecureIndex=true} if you trust the network");
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equals("localhost")) {
            return true;
        }
        try {
            return (host.matches("[0-9.]+") || host.contains(":")) && InetAddress.getByName(host.replaceAll(
                    "^\\[|\\]$", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private HttpURLConnection connect(URI uri, Credentials creds, Map<String, String> headers) throws IOException {
        ProxySpec proxy = ProxySpec.select(settings.proxies(), uri.getScheme(), uri.getHost());
        HttpURLConnection c = (HttpURLConnection) (proxy == null ? uri.toURL().openConnection(Proxy.NO_PROXY)
                : uri.toURL().openConnection(new Proxy(Proxy.Type.HTTP,
                        new InetSocketAddress(proxy.host(), proxy.port()))));
        if (proxy != null && proxy.credentials() != null) {
            Credentials pc = proxy.credentials();
            c.setAuthenticator(new java.net.Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return getRequestorType() == RequestorType.PROXY
                            ? new PasswordAuthentication(pc.username(), pc.password().toCharArray()) : null;
                }
            });
            if ("http".equals(uri.getScheme())) {
                c.setRequestProperty("Proxy-Authorization", pc.basicAuthorization());
            }
        }
        if (c instanceof HttpsURLConnection && settings.caCertificates() != null) {
            ((HttpsURLConnection) c).setSSLSocketFactory(sslFactory());
        }
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout((int) settings.connectTimeout().toMillis());
        c.setReadTimeout((int) settings.readTimeout().toMillis());
        c.setRequestProperty("User-Agent", "pybundle/" + Generator.VERSION);
        headers.forEach(c::setRequestProperty);
        if (creds != null) {
            c.setRequestProperty("Authorization", creds.basicAuthorization());
        }
        return c;
    }

    private static Map<String, String> headers(HttpURLConnection c) {
        Map<String, String> h = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : c.getHeaderFields().entrySet()) {
            if (e.getKey() != null && !e.getValue().isEmpty()) {
                h.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().get(0));
            }
        }
        return h;
    }

    private static long retryAfter(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Math.min(MAX_RETRY_AFTER_MS, Long.parseLong(value.trim()) * 1000);
        } catch (NumberFormatException e) {
            return 0; // an HTTP date: use the normal backoff
        }
    }

    private static void drain(HttpURLConnection c) {
        try (InputStream err = c.getErrorStream()) {
            if (err != null) {
                err.readAllBytes();
            }
        } catch (IOException ignored) {
            // the connection is discarded anyway
        }
    }

    private long deadline() {
        return System.nanoTime() + settings.deadline().toNanos();
    }

    private interface LocalOperation<T> {
        T run() throws IOException;
    }

    // A file operation on this machine: its failure (ENOSPC, permissions) is not the network's and is not retried.
    private static <T> T local(String what, LocalOperation<T> op) throws RetryPolicy.LocalIOException {
        try {
            return op.run();
        } catch (IOException e) {
            throw new RetryPolicy.LocalIOException(what, e);
        }
    }

    // Streams the body; a write failure is local, and the whole transfer must end before the deadline.
    private long copy(Exchange ex, OutputStream out, MessageDigest digest, long deadline) throws IOException {
        InputStream in = ex.body();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            int count = n;
            local("cannot write a download to disk", () -> {
                out.write(buf, 0, count);
                return null;
            });
            if (digest != null) {
                digest.update(buf, 0, n);
            }
            total += n;
            if (Thread.currentThread().isInterrupted()) { // the build stopped wanting it (a download ahead)
                throw new FetchException("stopped fetching " + Secrets.mask(ex.uri) + " (interrupted)", 0,
                        "nothing to do: the build no longer needed it");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new FetchException("gave up on " + Secrets.mask(ex.uri) + " after "
                        + settings.deadline().toSeconds() + " s (" + total + " bytes received)", 0,
                        "the server sends too slowly; try again later, or raise {@downloadDeadline} (seconds)");
            }
        }
        return total;
    }

    private static void checkLength(Exchange ex, long received) throws Transient {
        long expected = ex.contentLength();
        if (expected >= 0 && received != expected && !"gzip".equalsIgnoreCase(ex.headers.get("content-encoding"))) {
            throw new Transient("truncated body: received " + received + " of " + expected + " bytes", 0, 0);
        }
    }

    /**
     * Makes what the first HTTPS request with these settings needs: the context of their CA bundle (kept for every
     * fetcher of this JVM), or the JVM's default one. Whoever needs it meanwhile waits for it instead of making it
     * twice; a failure is left for the request to report.
     */
    public static void prepareTls(NetworkSettings settings) {
        try {
            if (settings.caCertificates() != null) {
                trusting(settings.caCertificates());
            } else {
                HttpsURLConnection.getDefaultSSLSocketFactory();
            }
        } catch (RuntimeException | LinkageError e) {
            // the first request makes it again and reports what is wrong
        }
    }

    private SSLSocketFactory sslFactory() {
        SSLSocketFactory f = sslFactory;
        if (f == null) {
            synchronized (this) {
                if (sslFactory == null) {
                    sslFactory = trusting(settings.caCertificates());
                }
                f = sslFactory;
            }
        }
        return f;
    }

    // The factories of the CA bundles read in this JVM, by file and its size and modification time: a build opens the
    // index more than once (to resolve, then to download), and each factory keeps the certificates its servers needed
    // parsed, and the TLS sessions it can resume.
    private static final Map<String, SSLSocketFactory> FACTORIES = new java.util.concurrent.ConcurrentHashMap<>();

    private static SSLSocketFactory trusting(Path pem) {
        String key;
        try {
            key = pem.toAbsolutePath() + "\0" + Files.size(pem) + "\0" + Files.getLastModifiedTime(pem).toMillis();
        } catch (IOException e) {
            return sslFactory(pem); // reports what is wrong with the file
        }
        return FACTORIES.computeIfAbsent(key, k -> sslFactory(pem));
    }

    private static SSLSocketFactory sslFactory(Path pem) {
        try {
            // A bundle of CERTIFICATE blocks: each certificate parsed when a server's chain may need it
            PemTrust lazy = PemTrust.read(Files.readAllBytes(pem), pem.toString());
            if (lazy != null) {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {lazy}, null);
                return ctx.getSocketFactory();
            }
        } catch (Exception e) {
            throw new FetchException("cannot read the CA certificates " + pem + ": " + e.getMessage(), e,
                    "check pip's 'cert' setting (PIP_CERT or pip.conf)");
        }
        try (InputStream in = Files.newInputStream(pem)) { // anything else: parsed whole, or rejected
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate cert : certs) {
                ks.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (Exception e) {
            throw new FetchException("cannot read the CA certificates " + pem + ": " + e.getMessage(), e,
                    "check pip's 'cert' setting (PIP_CERT or pip.conf)");
        }
    }
}

package io.github.pybundle.core.net;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.MalformedURLException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.FileSystemException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Which failures of a request are worth another try: those of the network that pass (a reset, a timeout, a refused
 * connection, a truncated body, 5xx/408/429), not those that will happen again (a certificate the JVM does not
 * trust, a malformed URL, a host that does not resolve) and never a local one (a full disk, a permission): retrying
 * {@code ENOSPC} three times only fills the disk again.
 */
public final class RetryPolicy {
    private RetryPolicy() {
    }

    /** A failure to write or move a file on this machine, raised by the fetcher around its own file operations. */
    public static final class LocalIOException extends IOException {
        private static final long serialVersionUID = 1L;

        public LocalIOException(String message, IOException cause) {
            super(message, cause);
        }
    }

    /** Whether {@code e}, thrown by one try of a request, may succeed on the next. */
    public static boolean isTransient(IOException e) {
        if (e instanceof LocalIOException || e instanceof FileSystemException) {
            return false;
        }
        if (e instanceof SSLHandshakeException || e instanceof SSLPeerUnverifiedException) {
            return false; // an untrusted or wrong certificate stays so
        }
        if (e instanceof SSLException) {
            return e.getCause() instanceof SocketException || e.getCause() instanceof EOFException
                    || e.getMessage() != null && e.getMessage().contains("reset"); // a reset during TLS
        }
        if (e instanceof UnknownHostException || e instanceof MalformedURLException
                || e instanceof ProtocolException) {
            return false;
        }
        // SocketTimeoutException, ConnectException, SocketException (reset), EOFException, truncated bodies, 5xx:
        // and the plain IOExceptions a socket stream throws ("Premature EOF").
        return e instanceof SocketTimeoutException || e instanceof ConnectException || e instanceof SocketException
                || e instanceof EOFException || e.getClass() == IOException.class || e instanceof HttpStatusException;
    }

    /** A response status worth another try (5xx, 408, 429), raised by the fetcher. */
    public static class HttpStatusException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final long retryAfterMs;

        public HttpStatusException(String message, int status, long retryAfterMs) {
            super(message);
            this.status = status;
            this.retryAfterMs = retryAfterMs;
        }

        /** The status, or 0 for a truncated body. */
        public int status() {
            return status;
        }

        /** The server's Retry-After in milliseconds, or 0. */
        public long retryAfterMs() {
            return retryAfterMs;
        }
    }
}

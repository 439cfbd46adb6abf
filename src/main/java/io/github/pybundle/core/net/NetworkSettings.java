package io.github.pybundle.core.net;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How pybundle talks to the network.
 *
 * @param offline use only the cache; any miss is an error
 * @param allowInsecure accept plain-http indexes
 * @param connectTimeout time to establish a connection
 * @param readTimeout longest silence while reading a response (a stalled transfer fails after this)
 * @param retries how many times a transient failure (5xx, 408, 429, reset, truncated body) is retried
 * @param initialBackoff the first wait between tries; doubled each time, with random jitter
 * @param proxies proxies from settings.xml
 * @param caCertificates a PEM bundle of trusted certificates (pip's {@code cert}), or null for the JVM's
 * @param deadline the longest one request may take in all, however steadily bytes arrive (a server that drips one
 *     byte every few seconds never trips the read timeout); not retried when exceeded
 */
public record NetworkSettings(boolean offline, boolean allowInsecure, Duration connectTimeout, Duration readTimeout,
                              int retries, Duration initialBackoff, List<ProxySpec> proxies, Path caCertificates,
                              Duration deadline) {
    public NetworkSettings {
        proxies = List.copyOf(proxies);
    }

    /** Online, https only, 30 s connect, 60 s read, 3 retries from 500 ms, no proxy, 30 minutes per request. */
    public static NetworkSettings defaults() {
        return new NetworkSettings(false, false, Duration.ofSeconds(30), Duration.ofSeconds(60), 3,
                Duration.ofMillis(500), List.of(), null, Duration.ofMinutes(30));
    }

    public NetworkSettings withDeadline(Duration value) {
        return new NetworkSettings(offline, allowInsecure, connectTimeout, readTimeout, retries, initialBackoff,
                proxies, caCertificates, value);
    }

    public NetworkSettings withOffline(boolean value) {
        return new NetworkSettings(value, allowInsecure, connectTimeout, readTimeout, retries, initialBackoff, proxies,
                caCertificates, deadline);
    }

    public NetworkSettings withTimeouts(Duration connect, Duration read) {
        return new NetworkSettings(offline, allowInsecure, connect, read, retries, initialBackoff, proxies,
                caCertificates, deadline);
    }

    public NetworkSettings withRetries(int count, Duration backoff) {
        return new NetworkSettings(offline, allowInsecure, connectTimeout, readTimeout, count, backoff, proxies,
                caCertificates, deadline);
    }

    public NetworkSettings withAllowInsecure(boolean value) {
        return new NetworkSettings(offline, value, connectTimeout, readTimeout, retries, initialBackoff, proxies,
                caCertificates, deadline);
    }

    public NetworkSettings withProxies(List<ProxySpec> value) {
        return new NetworkSettings(offline, allowInsecure, connectTimeout, readTimeout, retries, initialBackoff, value,
                caCertificates, deadline);
    }

    public NetworkSettings withCaCertificates(Path value) {
        return new NetworkSettings(offline, allowInsecure, connectTimeout, readTimeout, retries, initialBackoff,
                proxies, value, deadline);
    }
}

package io.github.pybundle.core.index;

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
 */
public record NetworkSettings(boolean offline, boolean allowInsecure, Duration connectTimeout, Duration readTimeout,
                              int retries, Duration initialBackoff, List<ProxySpec> proxies, Path caCertificates) {
    public NetworkSettings {
        proxies = List.copyOf(proxies);
    }

    /** Online, https only, 30 s connect, 60 s read, 3 retries from 500 ms, no proxy. */
    public static NetworkSettings defaults() {
        return new NetworkSettings(false, false, Duration.ofSeconds(30), Duration.ofSeconds(60), 3,
                Duration.ofMillis(500), List.of(), null);
    }

    public NetworkSettings withOffline(boolean value) {
        return new NetworkSettings(value, allowInsecure, connectTimeout, readTimeout, retries, initialBackoff, proxies,
                caCertificates);
    }

    public NetworkSettings withTimeouts(Duration connect, Duration read) {
        return new NetworkSettings(offline, allowInsecure, connect, read, retries, initialBackoff, proxies,
                caCertificates);
    }

    public NetworkSettings withRetries(int count, Duration backoff) {
        return new NetworkSettings(offline, allowInsecure, connectTimeout, readTimeout, count, backoff, proxies,
                caCertificates);
    }

    public NetworkSettings withAllowInsecure(boolean value) {
        return new NetworkSettings(offline, value, connectTimeout, readTimeout, retries, initialBackoff, proxies,
                caCertificates);
    }

    public NetworkSettings withProxies(List<ProxySpec> value) {
        return new NetworkSettings(offline, allowInsecure, connectTimeout, readTimeout, retries, initialBackoff, value,
                caCertificates);
    }

    public NetworkSettings withCaCertificates(Path value) {
        return new NetworkSettings(offline, allowInsecure, connectTimeout, readTimeout, retries, initialBackoff,
                proxies, value);
    }
}

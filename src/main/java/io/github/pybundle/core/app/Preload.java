package io.github.pybundle.core.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.net.HttpFetcher;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Loads the libraries a build is about to need (Jackson's JSON and TOML mappers, reading and writing)
 * on another thread, once per JVM. In a JVM that has just started, loading and linking their classes takes about a
 * tenth of a second each, which a build would otherwise spend on its one busy core while the other waits; loading
 * them twice at once is harmless (the JVM loads each class once, and a thread that needs one still being loaded
 * waits for it). The TLS stack only for a build that reads an HTTPS source ({@link #tls}): reading the JDK's trusted
 * certificates ahead takes a quarter of a second of CPU, which a cold build against a plain-HTTP index (CPU-bound on
 * 2 cores) lost.
 */
final class Preload {
    private static volatile boolean started;
    private static volatile boolean tlsStarted;

    /**
     * When a source of {@code config} is read over HTTPS (and the build is online), makes the TLS setup its first
     * request needs on another thread: the JDK's TLS classes, and the CA bundle's context or the JVM's trusted
     * certificates, about a fifth of a second in a JVM that has just started, while the build gets its resolution
     * ready. Not for an index read over plain HTTP, which never needs it.
     */
    /** Whether a build with this configuration may make an HTTPS request: online, with an https source. */
    static boolean readsOverTls(IndexConfiguration config) {
        return !config.network().offline() && java.util.stream.Stream.concat(config.indexes().stream(),
                config.findLinks().stream()).anyMatch(s -> "https".equalsIgnoreCase(s.url().getScheme()));
    }

    static void tls(IndexConfiguration config) {
        if (tlsStarted || !readsOverTls(config)) {
            return;
        }
        tlsStarted = true;
        Thread t = new Thread(() -> HttpFetcher.prepareTls(config.network()), "pybundle-preload-tls");
        t.setDaemon(true);
        t.start();
    }

    private Preload() {
    }

    /**
     * Starts loading the JSON mapper, and the TOML one when {@code toml} (the build reads its lock file): a build
     * without one writes its lock by hand and never reads TOML, and a cold build is CPU-bound on 2 cores.
     */
    static void start(boolean toml) {
        if (started) {
            return;
        }
        started = true;
        Thread t = new Thread(() -> {
            try {
                if (toml) {
                    new TomlMapper().readTree("a = 1\n");
                }
                new ObjectMapper().readTree("{\"a\": [1]}");
                // the launch descriptors: maps and lists written as indented JSON
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
                        Map.of("a", List.of("b"), "c", Map.of("d", "e")));
            } catch (IOException | RuntimeException | LinkageError e) {
                // only a head start: whoever needs the classes loads them anyway
            }
        }, "pybundle-preload");
        t.setDaemon(true);
        t.start();
    }
}

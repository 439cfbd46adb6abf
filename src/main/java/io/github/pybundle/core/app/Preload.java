package io.github.pybundle.core.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Loads the libraries a build is about to need (Jackson's JSON and TOML mappers, reading and writing; the TLS stack)
 * on another thread, once per JVM. In a JVM that has just started, loading and linking their classes takes about a
 * tenth of a second each, which a build would otherwise spend on its one busy core while the other waits; loading
 * them twice at once is harmless (the JVM loads each class once, and a thread that needs one still being loaded
 * waits for it).
 */
final class Preload {
    private static volatile boolean started;

    private Preload() {
    }

    static void start() {
        if (started) {
            return;
        }
        started = true;
        Thread t = new Thread(() -> {
            try {
                new TomlMapper().readTree("a = 1\n");
                new ObjectMapper().readTree("{\"a\": [1]}");
                // the launch descriptors: maps and lists written as indented JSON
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
                        Map.of("a", List.of("b"), "c", Map.of("d", "e")));
                // TLS: the JDK's trusted certificates read and parsed (what a first HTTPS request to an index waits
                // for, about a quarter of a second); local work only, no connection is opened
                SSLContext.getDefault();
            } catch (IOException | GeneralSecurityException | RuntimeException | LinkageError e) {
                // only a head start: whoever needs the classes loads them anyway
            }
        }, "pybundle-preload");
        t.setDaemon(true);
        t.start();
    }
}

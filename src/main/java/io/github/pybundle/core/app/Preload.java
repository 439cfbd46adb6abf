package io.github.pybundle.core.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Loads the libraries a build is about to need (Jackson's JSON and TOML mappers, reading and writing)
 * on another thread, once per JVM. In a JVM that has just started, loading and linking their classes takes about a
 * tenth of a second each, which a build would otherwise spend on its one busy core while the other waits; loading
 * them twice at once is harmless (the JVM loads each class once, and a thread that needs one still being loaded
 * waits for it). Not the TLS stack: reading the JDK's trusted certificates ahead takes a quarter of a second of CPU,
 * which a cold build against a plain-HTTP index (CPU-bound on 2 cores) lost, and a build against an HTTPS index won
 * back only in part (its first request comes a tenth of a second after the goal starts).
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
            } catch (IOException | RuntimeException | LinkageError e) {
                // only a head start: whoever needs the classes loads them anyway
            }
        }, "pybundle-preload");
        t.setDaemon(true);
        t.start();
    }
}

package io.github.pybundle.core.event;

/**
 * Receives what the core has to tell the user; the build tool adapter decides how to show it (jib's event style).
 */
public interface BuildListener {
    /** Severity of a message. */
    enum Level { DEBUG, INFO, WARN }

    /** One message for the user. */
    void log(Level level, String message);

    /** A listener that drops everything (for tests and library use). */
    static BuildListener silent() {
        return (level, message) -> { };
    }

    /** {@code n} and the noun, plural unless n is 1: "1 package", "3 packages". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

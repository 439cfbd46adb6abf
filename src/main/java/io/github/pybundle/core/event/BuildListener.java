package io.github.pybundle.core.event;

/**
 * Receives what the core has to tell the user; the build tool adapter decides how to show it (jib's event style).
 */
public interface BuildListener {
    /** Severity of a message. */
    enum Level { DEBUG, INFO, WARN }

    /** One message for the user. */
    void log(Level level, String message);

    /**
     * Work of one kind that took {@code nanos} on some thread (an index request, a wheel's checks): summed by kind for
     * the goal's timing breakdown ({@link PhaseTimer}). Ignored by default.
     */
    default void timed(String work, long nanos) {
    }

    /** Runs {@code work}, reporting its time as {@code kind} to {@link #timed}. */
    default <T, E extends Exception> T timing(String kind, Work<T, E> work) throws E {
        long t0 = System.nanoTime();
        try {
            return work.run();
        } finally {
            timed(kind, System.nanoTime() - t0);
        }
    }

    /** Work that returns a value and may fail. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** A listener that drops everything (for tests and library use). */
    static BuildListener silent() {
        return (level, message) -> { };
    }

    /** {@code n} and the noun, plural unless n is 1: "1 package", "3 packages". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

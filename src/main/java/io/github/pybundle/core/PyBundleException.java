package io.github.pybundle.core;

import java.util.List;

/**
 * Base of every failure pybundle reports to a user: a message that says what is wrong, plus hints that say what to do.
 *
 * <p>{@link #kind()} tells the adapter who can fix it: the user's configuration, the project's inputs, or the
 * environment. Messages never contain secrets.
 */
public class PyBundleException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> hints;

    public PyBundleException(String message, List<String> hints) {
        super(message);
        this.hints = List.copyOf(hints);
    }

    public PyBundleException(String message, List<String> hints, Throwable cause) {
        super(message, cause);
        this.hints = List.copyOf(hints);
    }

    /** Who can fix a failure: the decisive fact for how a build tool reports it. */
    public enum Kind {
        /** A setting the user gave is unusable (a malformed value, a missing required one). */
        CONFIGURATION,
        /** What the project or its sources declare or contain cannot work (unsatisfiable requirements, a broken wheel). */
        INPUT,
        /** The machine or the network failed (I/O, an unreachable index, a file altered in transit, an offline miss). */
        ENVIRONMENT
    }

    /** Who can fix this failure; {@link Kind#INPUT} unless a subclass says otherwise. */
    public Kind kind() {
        return Kind.INPUT;
    }

    /** What the user can do next, one sentence each; rendered as {@code hint:} lines. */
    public List<String> hints() {
        return hints;
    }
}

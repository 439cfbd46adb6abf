package io.github.pybundle.core;

import java.util.List;

/**
 * Base of every failure pybundle reports to a user: a message that says what is wrong, plus hints that say what to do.
 *
 * <p>Subclasses tell the adapter whether the user can fix it ({@link InvalidConfigurationException}) or the environment
 * failed (anything else). Messages never contain secrets.
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

    /** What the user can do next, one sentence each; rendered as {@code hint:} lines. */
    public List<String> hints() {
        return hints;
    }
}

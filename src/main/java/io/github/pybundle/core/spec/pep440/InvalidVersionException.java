package io.github.pybundle.core.spec.pep440;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/** A string that is not a valid PEP 440 version. */
public class InvalidVersionException extends PyBundleException {
    private static final long serialVersionUID = 1L;
    private final String input;

    public InvalidVersionException(String input) {
        super("'" + input + "' is not a valid PEP 440 version",
                List.of("a version looks like 1.2.3, 1.0rc1, 2.0.post1, 1.0.dev3 or 1!2.0+local.1"));
        this.input = input;
    }

    /** The rejected input, as given. */
    public String input() {
        return input;
    }
}

package io.github.pybundle.core.spec.pep440;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/** A string that is not a valid PEP 440 version specifier. */
public class InvalidSpecifierException extends PyBundleException {
    private static final long serialVersionUID = 1L;
    private final String input;

    public InvalidSpecifierException(String input, String reason) {
        super("'" + input + "' is not a valid version specifier: " + reason,
                List.of("a specifier looks like >=1.2, ==1.4.*, ~=2.2, !=1.5 or <3; separate several with commas"));
        this.input = input;
    }

    /** The rejected input, as given. */
    public String input() {
        return input;
    }
}

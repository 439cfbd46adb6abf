package io.github.pybundle.core.spec.name;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/** A distribution name that the core metadata specification does not allow. */
public class InvalidNameException extends PyBundleException {
    private static final long serialVersionUID = 1L;
    private final String name;

    public InvalidNameException(String name) {
        super("'" + name + "' is not a valid Python distribution name",
                List.of("a name uses ASCII letters and digits, with '.', '_' or '-' only between them (e.g. my-app)"));
        this.name = name;
    }

    /** The rejected name. */
    public String name() {
        return name;
    }
}

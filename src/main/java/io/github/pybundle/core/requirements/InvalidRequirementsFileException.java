package io.github.pybundle.core.requirements;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/** A requirements file, pyproject.toml or pom entry that cannot be used; the message names the file and line. */
public class InvalidRequirementsFileException extends PyBundleException {
    private static final long serialVersionUID = 1L;
    private final String location;

    public InvalidRequirementsFileException(String location, String problem, String... hints) {
        super(location + ": " + problem, List.of(hints));
        this.location = location;
    }

    /** {@code file:line}, or the file and key. */
    public String location() {
        return location;
    }
}

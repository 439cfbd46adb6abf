package io.github.pybundle.core.spec.dist;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/** A wheel or sdist file name that does not follow its specification. */
public class InvalidFilenameException extends PyBundleException {
    private static final long serialVersionUID = 1L;

    public InvalidFilenameException(String filename, String reason) {
        super("'" + filename + "' is not a valid distribution file name: " + reason,
                List.of("wheels are named {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl,"
                        + " sdists {name}-{version}.tar.gz"));
    }
}

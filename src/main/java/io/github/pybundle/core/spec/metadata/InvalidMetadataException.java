package io.github.pybundle.core.spec.metadata;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/** Core metadata (a wheel's METADATA, an sdist's PKG-INFO) that cannot be read; names the source and the line. */
public class InvalidMetadataException extends PyBundleException {
    private static final long serialVersionUID = 1L;

    public InvalidMetadataException(String source, int line, String problem) {
        super(source + (line > 0 ? ":" + line : "") + ": " + problem,
                List.of("the distribution's metadata is malformed; try another version of the package, or report it"
                        + " to its maintainers"));
    }
}

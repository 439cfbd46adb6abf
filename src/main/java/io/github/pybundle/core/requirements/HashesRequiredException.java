package io.github.pybundle.core.requirements;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/**
 * Hash-checking mode is on, and a requirement lacks hashes or a pin, or a package was resolved that no declaration
 * gives hashes for; the message lists each.
 */
public class HashesRequiredException extends PyBundleException {
    private static final long serialVersionUID = 1L;

    public HashesRequiredException(String message, List<String> hints) {
        super(message, hints);
    }
}

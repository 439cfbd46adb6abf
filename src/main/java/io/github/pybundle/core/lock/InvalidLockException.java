package io.github.pybundle.core.lock;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/** A pylock.toml that cannot be used: malformed, for another environment, or out of date. */
public class InvalidLockException extends PyBundleException {
    private static final long serialVersionUID = 1L;

    public InvalidLockException(String message, String... hints) {
        super(message, List.of(hints));
    }
}

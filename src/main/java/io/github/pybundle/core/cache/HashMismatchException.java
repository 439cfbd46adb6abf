package io.github.pybundle.core.cache;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/**
 * A downloaded file whose digest is not the one the index (or the lock) promised, or, in hash-checking mode, no
 * file of a package that matches the hashes declared for it. Nothing is kept.
 */
public class HashMismatchException extends PyBundleException {
    private static final long serialVersionUID = 1L;

    public HashMismatchException(String filename, String expected, String actual) {
        super("sha256 of " + filename + " is " + actual + ", but " + expected + " was expected; the file was"
                        + " discarded",
                List.of("the download was altered (proxy, mirror out of sync, tampering); if the index legitimately"
                        + " changed the file, re-lock with {#updateLock}"));
    }

    /** A mismatch described by the caller (hash-checking mode: which declaration, file, expected and actual hashes). */
    public HashMismatchException(String message, List<String> hints) {
        super(message, hints);
    }

    @Override
    public Kind kind() {
        return Kind.ENVIRONMENT;
    }
}

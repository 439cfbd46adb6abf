package io.github.pybundle.core.net;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/**
 * A download or index request that failed for good (after retries where they make sense). The URL in the message is
 * masked.
 */
public class FetchException extends PyBundleException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public FetchException(String message, int status, String... hints) {
        super(message, List.of(hints));
        this.status = status;
    }

    public FetchException(String message, Throwable cause, String... hints) {
        super(message, List.of(hints), cause);
        this.status = 0;
    }

    /** The HTTP status, or 0 for network failures. */
    public int status() {
        return status;
    }

    @Override
    public Kind kind() {
        return Kind.ENVIRONMENT;
    }
}

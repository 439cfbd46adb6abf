package io.github.pybundle.core.resolve;

import io.github.pybundle.core.PyBundleException;

/**
 * No set of versions satisfies the requirements on the target; carries the facts ({@link #failure()}) and their
 * wording by {@link ResolutionReporter} as message and hints.
 */
public class ResolutionException extends PyBundleException {
    private static final long serialVersionUID = 1L;
    // Transient: the facts hold requirements and versions, which are not serializable; the message is.
    private final transient ResolutionFailure failure;

    public ResolutionException(ResolutionFailure failure) {
        super(ResolutionReporter.message(failure), ResolutionReporter.hints(failure));
        this.failure = failure;
    }

    /** What went wrong, for callers that handle or word the failure themselves. */
    public ResolutionFailure failure() {
        return failure;
    }
}

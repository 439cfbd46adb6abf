package io.github.pybundle.core.spec.pep508;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/**
 * A marker that parsed but cannot be evaluated for an environment: an operator that is undefined for the values, or a
 * version comparison on a value that is not a version.
 */
public class MarkerEvaluationException extends PyBundleException {
    private static final long serialVersionUID = 1L;

    public MarkerEvaluationException(String message) {
        super(message, List.of("check the marker's operator and values, or the target's {@markerEnvironment}"));
    }
}

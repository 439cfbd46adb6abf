package io.github.pybundle.core.resolve;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/** No set of versions satisfies the requirements on the target; the message explains the conflict. */
public class ResolutionException extends PyBundleException {
    private static final long serialVersionUID = 1L;

    public ResolutionException(String explanation, List<String> hints) {
        super(explanation, hints);
    }
}

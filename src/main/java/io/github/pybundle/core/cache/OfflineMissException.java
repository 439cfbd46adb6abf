package io.github.pybundle.core.cache;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/** In offline mode, something that is not in the cache was needed. */
public class OfflineMissException extends PyBundleException {
    private static final long serialVersionUID = 1L;

    public OfflineMissException(String what) {
        super("offline mode: " + what + " is not in the cache",
                List.of("run the build once online (without -o / {#offline}) to fill the cache"));
    }

    @Override
    public Kind kind() {
        return Kind.ENVIRONMENT;
    }
}

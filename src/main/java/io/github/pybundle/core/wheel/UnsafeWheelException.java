package io.github.pybundle.core.wheel;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/** A wheel that cannot be placed safely or correctly; names the wheel and the entry. */
public class UnsafeWheelException extends PyBundleException {
    private static final long serialVersionUID = 1L;

    public UnsafeWheelException(String wheel, String problem, String... hints) {
        super(wheel + ": " + problem, List.of(hints));
    }
}

package io.github.pybundle.core.cache;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.dist.DistributionFilename;
import java.util.List;

/** A digest from outside (an index, a lock) that is not the hex form of its algorithm; it is never used as a path. */
public class InvalidDigestException extends PyBundleException {
    private static final long serialVersionUID = 1L;

    public InvalidDigestException(String what, String algorithm, String value) {
        super(what + " has an invalid " + algorithm + " digest '" + DistributionFilename.printable(value) + "'",
                List.of("a " + algorithm + " digest is " + Digests.HEX_LENGTH.getOrDefault(algorithm, 64)
                        + " hex digits; the index or lock is broken or hostile"));
    }
}

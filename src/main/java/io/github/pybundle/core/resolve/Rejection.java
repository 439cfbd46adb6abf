package io.github.pybundle.core.resolve;

import io.github.pybundle.core.spec.pep508.Requirement;
import java.util.List;

/** Why the search ruled out one candidate; {@link ResolutionReporter} words it. */
public sealed interface Rejection {
    /** The version ruled out. */
    Candidate candidate();

    /**
     * The candidate's own metadata rules it out, e.g. its Requires-Python excludes the target.
     *
     * @param candidate the version ruled out
     * @param reason what the provider said, already worded
     */
    record Unusable(Candidate candidate, String reason) implements Rejection {
    }

    /**
     * A dependency of the candidate excludes the version already chosen (or provided by the cluster).
     *
     * @param candidate the version ruled out
     * @param dependency the candidate's dependency
     * @param chosen what was decided for that dependency's project
     */
    record Clash(Candidate candidate, Requirement dependency, Candidate chosen) implements Rejection {
    }

    /**
     * Choosing the candidate left another project without a version, so the search went back and ruled it out.
     *
     * @param candidate the version ruled out
     * @param conflict the project left without a version
     * @param own the candidate's requirements on it (empty when it only constrained it indirectly)
     * @param others the other requirements on it at the time, with where they came from
     */
    record Backjump(Candidate candidate, Key conflict, List<Requirement> own, List<Cause> others)
            implements Rejection {
    }
}

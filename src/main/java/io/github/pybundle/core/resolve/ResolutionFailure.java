package io.github.pybundle.core.resolve;

import io.github.pybundle.core.spec.pep440.SpecifierSet;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.spec.pep508.Marker;
import io.github.pybundle.core.spec.pep508.Requirement;
import java.util.List;

/**
 * Why resolution failed, as facts rather than prose; {@link ResolutionReporter} turns them into the message users read.
 *
 * <p>The search records what it saw (which requirements met, who made them, which versions it ruled out and why) and
 * leaves the wording to the reporter, so an adapter can present the same failure differently.
 */
public sealed interface ResolutionFailure {
    /** A declared requirement names a direct URL, which the resolver does not support. */
    record DirectUrl(Requirement requirement, String source) implements ResolutionFailure {
    }

    /** The search took more than {@code limit} steps without finding a consistent set of versions. */
    record TooManySteps(int limit) implements ResolutionFailure {
    }

    /**
     * A marker cannot be evaluated for the target.
     *
     * @param marker the marker
     * @param dependent the candidate whose dependency carries the marker, or null for a declared requirement
     * @param detail why the evaluation failed
     * @param hints what the evaluator suggests
     */
    record UnevaluableMarker(Marker marker, Candidate dependent, String detail, List<String> hints)
            implements ResolutionFailure {
    }

    /**
     * No version of a project satisfies every requirement on it.
     *
     * @param key the project (or extra) left without a version
     * @param target the target, e.g. {@code cp38 / manylinux2014_x86_64}
     * @param requirements every requirement on the key, with who made it
     * @param constraints the {@code <constraints>} on the project
     * @param provided the cluster's version when the cluster provides the project, else null
     * @param spec all requirements and constraints on the key combined
     * @param offer what the sources have of the project, or null when not looked at (provided, or the index failed)
     * @param ruledOut the versions the search tried and ruled out, in order
     */
    record NoVersion(Key key, String target, List<Cause> requirements, List<Cause> constraints, Candidate provided,
                     SpecifierSet spec, Offer offer, List<Rejection> ruledOut) implements ResolutionFailure {
    }

    /**
     * What the configured sources have of a project for the target.
     *
     * @param known whether any source has the project at all
     * @param usable the distinct versions with a file for the target, newest first
     * @param fitting those of them the combined specifier admits
     * @param rejectedFitting versions the specifier admits that exist but cannot be used on the target, newest first
     */
    record Offer(boolean known, List<Version> usable, List<Version> fitting,
                 List<ResolutionProvider.Rejected> rejectedFitting) {
    }
}

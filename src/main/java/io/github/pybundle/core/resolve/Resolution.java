package io.github.pybundle.core.resolve;

import io.github.pybundle.core.pep508.Requirement;
import java.util.List;
import java.util.Set;

/**
 * The chosen versions, in the order they were decided, each with why it is there.
 *
 * @param pins the packages to install (provided ones excluded)
 * @param provided the packages the cluster already has that the resolution relies on
 */
public record Resolution(List<Pin> pins, List<Pin> provided) {
    /**
     * One chosen package.
     *
     * @param candidate the version and file
     * @param extras the extras requested of it (normalised)
     * @param requiredBy why it is present: requirement and requirer, e.g. {@code numpy>=1.22 (pandas 2.0.3)}
     * @param dependencies its dependencies that apply on the target
     */
    public record Pin(Candidate candidate, Set<String> extras, List<String> requiredBy,
                      List<Requirement> dependencies) {
    }
}

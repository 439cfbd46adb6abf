package io.github.pybundle.core.resolve;

import io.github.pybundle.core.spec.pep508.Requirement;
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
     * @param requiredBy why it is present: each requirement on it and who made it
     * @param dependencies its dependencies that apply on the target
     */
    public record Pin(Candidate candidate, Set<String> extras, List<Reason> requiredBy,
                      List<Requirement> dependencies) {
    }

    /**
     * One requirement on a package and its origin.
     *
     * @param requirement the requirement as written (with its marker)
     * @param parent the package that declared it (normalised name), or null for a declared requirement
     * @param parentVersion that package's version, or null
     * @param source where a declared requirement was written, or null
     */
    public record Reason(String requirement, String parent, String parentVersion, String source) {
        @Override
        public String toString() {
            return requirement + " (" + (parent == null ? source : parent + " " + parentVersion) + ")";
        }
    }
}

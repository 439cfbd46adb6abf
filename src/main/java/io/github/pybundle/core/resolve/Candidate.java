package io.github.pybundle.core.resolve;

import io.github.pybundle.core.index.DistributionFile;
import io.github.pybundle.core.spec.pep440.Version;

/**
 * One version of a project that can be installed on the target, with the file chosen for it.
 *
 * @param name the normalised project name
 * @param version the version (null for a provided package of unknown version)
 * @param file the best wheel for the target (null for provided packages)
 * @param yanked whether the index yanked it (PEP 592)
 * @param provided whether the cluster already has it (never bundled)
 */
public record Candidate(String name, Version version, DistributionFile file, boolean yanked, boolean provided) {
    @Override
    public String toString() {
        return name + (version == null ? "" : " " + version);
    }
}

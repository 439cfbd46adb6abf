package io.github.pybundle.core.requirements;

import io.github.pybundle.core.spec.pep508.Requirement;
import java.util.List;

/**
 * A requirement as the user declared it, with where it was declared (for messages and {@code pybundle:tree}).
 *
 * @param requirement the parsed requirement
 * @param source where it was written, e.g. {@code requirements.txt:12} or {@code <requirements>}
 * @param hashes allowed hashes ({@code sha256:...}) from {@code --hash} options; empty when any hash is allowed
 */
public record DeclaredRequirement(Requirement requirement, String source, List<String> hashes) {
    public DeclaredRequirement {
        hashes = List.copyOf(hashes);
    }

    @Override
    public String toString() {
        return requirement + " (" + source + ")";
    }
}

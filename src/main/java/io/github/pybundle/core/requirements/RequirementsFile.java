package io.github.pybundle.core.requirements;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a pip requirements file (and the files it includes) declares: requirements, constraints, and index options.
 */
public final class RequirementsFile {
    final List<DeclaredRequirement> requirements = new ArrayList<>();
    final List<DeclaredRequirement> constraints = new ArrayList<>();
    String indexUrl;
    final List<String> extraIndexUrls = new ArrayList<>();
    final List<String> findLinks = new ArrayList<>();
    boolean noIndex;
    boolean pre;
    String requireHashes;
    final Set<String> onlyBinary = new LinkedHashSet<>();
    final Set<String> noBinary = new LinkedHashSet<>();
    final List<String> warnings = new ArrayList<>();

    /** The requirements, in file order (included files in place). */
    public List<DeclaredRequirement> requirements() {
        return List.copyOf(requirements);
    }

    /** Constraints from {@code -c} files: they restrict versions without adding packages. */
    public List<DeclaredRequirement> constraints() {
        return List.copyOf(constraints);
    }

    /** {@code --index-url}, or null. */
    public String indexUrl() {
        return indexUrl;
    }

    /** {@code --extra-index-url} values. */
    public List<String> extraIndexUrls() {
        return List.copyOf(extraIndexUrls);
    }

    /** {@code --find-links} values (resolved against the file's directory when relative). */
    public List<String> findLinks() {
        return List.copyOf(findLinks);
    }

    /** Whether {@code --no-index} was given. */
    public boolean noIndex() {
        return noIndex;
    }

    /** Whether {@code --pre} was given. */
    public boolean pre() {
        return pre;
    }

    /** Where {@code --require-hashes} was given first ({@code file:line}), or null when it was not. */
    public String requireHashes() {
        return requireHashes;
    }

    /** Normalised names (or {@code :all:}) from {@code --only-binary}. */
    public Set<String> onlyBinary() {
        return Set.copyOf(onlyBinary);
    }

    /** Normalised names (or {@code :all:}) from {@code --no-binary}. */
    public Set<String> noBinary() {
        return Set.copyOf(noBinary);
    }

    /** Options that were accepted but have no effect in pybundle, as messages. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }
}

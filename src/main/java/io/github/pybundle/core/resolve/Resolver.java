package io.github.pybundle.core.resolve;

import io.github.pybundle.core.spec.pep508.MarkerEnvironment;
import io.github.pybundle.core.spec.pep508.Requirement;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Chooses one version of every required project so that all requirements hold on the target.
 *
 * <p>Newest versions are tried first; the most constrained project is decided next. When a project has no version
 * left, the search jumps back to the most recent decision that constrained it (conflict-directed backjumping),
 * rules that version out and continues. Extras are virtual projects ({@code name[extra]}) that depend on the base
 * project at the same version. A failure is reported as a {@link ResolutionFailure} (every requirement on the project
 * in conflict, the chain that led to each, what the target can install), worded by {@link ResolutionReporter}.
 *
 * <p>A resolver keeps nothing between calls: each {@link #resolve} works on its own {@link Search}, so one instance
 * may resolve any number of requests.
 */
public final class Resolver {
    /** A requirement the user declared, with where. */
    public record Root(Requirement requirement, String source) {
    }

    /**
     * What to resolve.
     *
     * @param requirements what to install
     * @param constraints version limits on packages required anyway
     * @param provided packages the cluster has: normalised name → version (empty string: any version)
     * @param allowPrereleases admit pre-releases everywhere
     * @param markers the target's marker environment
     * @param targetDescription e.g. {@code cp38 / manylinux2014_x86_64}, for messages
     */
    public record Request(List<Root> requirements, List<Root> constraints, Map<String, String> provided,
                          boolean allowPrereleases, MarkerEnvironment markers, String targetDescription) {
    }

    private final ResolutionProvider provider;

    public Resolver(ResolutionProvider provider) {
        this.provider = provider;
    }

    /**
     * Resolves.
     *
     * @throws ResolutionException when no set of versions satisfies everything; its {@link
     *     ResolutionException#failure() failure} says why and its message explains it
     */
    public Resolution resolve(Request request) throws IOException {
        return new Search(provider, request).run();
    }
}

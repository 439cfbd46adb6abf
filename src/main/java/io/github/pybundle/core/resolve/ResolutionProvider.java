package io.github.pybundle.core.resolve;

import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.spec.pep508.Requirement;
import java.io.IOException;
import java.util.List;

/**
 * Where the resolver gets its facts; the algorithm knows nothing of indexes, files or HTTP.
 */
public interface ResolutionProvider {
    /**
     * What exists of a project for the target.
     *
     * @param usable versions with an installable file, newest first
     * @param rejected versions that exist but cannot be used on the target, with the reason (newest first)
     */
    record Versions(List<Candidate> usable, List<Rejected> rejected) {
    }

    /** A version that exists but cannot be used on the target, and why. */
    record Rejected(Version version, String reason) {
    }

    /**
     * The dependencies of a candidate, or the reason it cannot be used after all (e.g. its metadata's
     * Requires-Python excludes the target).
     */
    record Dependencies(List<Requirement> requirements, String unusable) {
    }

    /** The versions of a project (normalised name); empty lists when no source has it. */
    Versions versions(String name) throws IOException;

    /** The declared dependencies of a candidate, markers not yet evaluated. */
    Dependencies dependencies(Candidate candidate) throws IOException;

    /**
     * The resolver has decided on {@code candidate}: its dependencies agree with what was decided before, and it
     * follows them now. It may still undo that when it backtracks. Nothing by default.
     */
    default void pinned(Candidate candidate) {
    }
}

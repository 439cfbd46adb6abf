package io.github.pybundle.core.resolve;

/**
 * Told of each candidate the resolver pins (its metadata read and found fitting, its dependencies agreeing with what
 * was decided before and about to be followed), so that its file can be fetched while the resolution goes on. The
 * resolver may still drop it when it backtracks: what is told is a likely choice, not a final one.
 */
@FunctionalInterface
public interface Lookahead {
    /** The resolver takes {@code candidate} (a project's version with the file chosen for the target). */
    void taking(Candidate candidate);

    /** Told nothing. */
    static Lookahead none() {
        return candidate -> { };
    }
}

package io.github.pybundle.core.resolve;

import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.spec.pep508.Requirement;

/**
 * One requirement on a project and who made it, with the path back to what the user declared.
 *
 * @param requirement the requirement as written (with its marker)
 * @param parent who made it
 * @param via how the parent came to be chosen (the first requirement on it), or null when the parent is a declared
 *     source or nothing recorded
 */
public record Cause(Requirement requirement, Origin parent, Cause via) {
    /**
     * Who made a requirement: a chosen package, or the place where the user declared it.
     *
     * @param key the chosen package (or one of its extras), or null for a declared requirement
     * @param version the chosen package's version, or null
     * @param source where a declared requirement was written (e.g. {@code <requirements> entry 2}), or null
     */
    public record Origin(Key key, Version version, String source) {
        /** A requirement the user wrote at {@code source}. */
        public static Origin declared(String source) {
            return new Origin(null, null, source);
        }

        /** A dependency of the chosen {@code key} at {@code version}. */
        public static Origin chosen(Key key, Version version) {
            return new Origin(key, version, null);
        }

        /** Whether the user declared the requirement (rather than a chosen package). */
        public boolean isDeclared() {
            return key == null;
        }
    }
}

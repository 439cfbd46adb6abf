package io.github.pybundle.core.bundle;

import io.github.pybundle.core.archive.ArchivePlan;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.wheel.UnsafeWheelException;

/**
 * What the bundle's archives do when two files would be one: different files at one path fail the build naming
 * both origins; paths that differ only in case fail the environment archive, which is unpacked, and are a warning
 * for the py-files zip, which zipimport reads with exact names.
 */
final class PathConflicts implements ArchivePlan.Conflicts {
    /** The origin of the project's own files. */
    static final String PROJECT = "the project";

    private final BuildListener warnings; // null: case-only collisions are errors

    private PathConflicts(BuildListener warnings) {
        this.warnings = warnings;
    }

    /** For an archive that is unpacked: case-only collisions are errors. */
    static PathConflicts refusing() {
        return new PathConflicts(null);
    }

    /** For the py-files zip: case-only collisions brought by wheels are warnings. */
    static PathConflicts warning(BuildListener listener) {
        return new PathConflicts(listener);
    }

    @Override
    public RuntimeException differentFiles(String path, String origin, String earlierOrigin) {
        return new UnsafeWheelException(origin, "'" + path + "' is also provided by " + earlierOrigin,
                "two packages ship different files at the same path; remove one of them from the requirements");
    }

    @Override
    public void caseOnly(String path, String origin, String earlier, String earlierOrigin) {
        if (warnings == null) {
            throw new UnsafeWheelException(origin, "'" + path + "' differs from '" + earlier + "' (from "
                    + earlierOrigin + ") only in case; unpacked on a case-insensitive file system they would be"
                    + " one file", "two packages ship files whose names differ only in case; remove one of them");
        }
        if (!origin.equals(PROJECT)) { // the project's own names are its author's choice: warn about wheels only
            warnings.log(BuildListener.Level.WARN, origin + ": '" + path + "' differs from '" + earlier
                    + "' only in case; both are in the py-files zip, but they would be one file if it were"
                    + " unpacked on a case-insensitive file system");
        }
    }
}

package io.github.pybundle.core.app;

import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.project.ProjectPackager;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/** The {@code wheel} goal: a PEP 427 wheel of the project's own code, declaring its requirements. */
public final class WheelService {
    private final BuildListener listener;

    public WheelService(BuildListener listener) {
        this.listener = listener;
    }

    /**
     * What the wheel is built from.
     *
     * @param sourceDirectory where the Python packages are
     * @param mainScript the application's entry point (left out of the wheel)
     * @param identity name and version
     * @param summary one-line description, or null
     * @param license licence name, or null
     * @param homePage project URL, or null
     * @param outputDirectory where the wheel goes
     * @param timestamp the time of every entry
     * @param requirements the declared requirements, published as Requires-Dist
     */
    public record Request(Path sourceDirectory, Path mainScript, ProjectPackager.Identity identity, String summary,
                          String license, String homePage, Path outputDirectory, Instant timestamp,
                          DeclaredRequirements.Request requirements) {
    }

    /** Builds the wheel; returns its path. */
    public Path build(Request r) throws IOException {
        DeclaredRequirements declared = DeclaredRequirements.collect(r.requirements());
        return new ProjectPackager(listener).buildWheel(new ProjectPackager.WheelRequest(r.sourceDirectory(),
                r.mainScript(), r.identity().withPyproject(declared.pyproject()), r.summary(), r.license(),
                r.homePage(), r.outputDirectory(),
                r.timestamp(), declared));
    }
}

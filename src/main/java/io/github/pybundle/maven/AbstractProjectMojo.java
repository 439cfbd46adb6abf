package io.github.pybundle.maven;

import io.github.pybundle.core.project.ProjectPackager;
import java.io.File;
import org.apache.maven.plugins.annotations.Parameter;

/** The parameters of the goals that package the project's own Python code: its sources, main script and name. */
public abstract class AbstractProjectMojo extends AbstractDependencyMojo {
    /**
     * Directory holding the project's Python packages and modules.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.pythonSourceDirectory", defaultValue = "${project.basedir}/src/main/python",
            required = true)
    protected File pythonSourceDirectory;

    /**
     * The application's entry point, the script spark-submit runs. It is left out of the wheel and the py-files zip.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.mainScript", defaultValue = "${project.basedir}/src/main/python/main.py",
            required = true)
    protected File mainScript;

    /**
     * The Python distribution name of the project (wheel name and {@code Name} in its metadata). Default:
     * pyproject.toml's {@code [project] name}, else the artifactId.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.distributionName")
    protected String distributionName;

    /**
     * The PEP 440 version of the project's distribution. By default the Maven version is mapped: 1.2.0-SNAPSHOT to
     * 1.2.0.dev0, 1.0-beta-2 to 1.0b2, 2.1-rc1 to 2.1rc1. Set this when the Maven version has a qualifier PEP 440
     * cannot express.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.distributionVersion")
    protected String distributionVersion;

    /** The project identity for the core. */
    protected ProjectPackager.Identity identity() {
        return new ProjectPackager.Identity(distributionName, project.getVersion(), distributionVersion,
                project.getArtifactId(), null);
    }
}

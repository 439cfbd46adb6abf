package io.github.pybundle.maven;

import io.github.pybundle.core.project.ProjectPackager;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the deployment bundle: <code>target/{finalName}-pyfiles.zip</code> for {@code spark-submit --py-files}
 * (attached with classifier {@code pyfiles}) and the launcher {@code target/pybundle/spark-submit.sh}.
 *
 * @since 0.1.0
 */
@Mojo(name = "bundle", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BundleMojo extends AbstractPyBundleMojo {
    /** Base name of the outputs. */
    @Parameter(defaultValue = "${project.build.finalName}", readonly = true, required = true)
    protected String finalName;

    @Override
    protected void doExecute() throws Exception {
        DeclaredRequirements declared = declaredRequirements();
        if (!declared.requirements().isEmpty()) {
            getLog().warn("This pybundle version bundles the project's own code only: the "
                    + declared.requirements().size() + " declared requirement(s) "
                    + declared.requirements().stream().map(d -> d.requirement().toString()).toList()
                    + " are validated but not yet resolved into the bundle.");
        }
        ProjectPackager.BundleResult result = packager().bundle(new ProjectPackager.BundleRequest(
                pythonSourceDirectory.toPath(), mainScript.toPath(), project.getArtifactId(),
                outputDirectory.toPath(), finalName, timestamp()));
        if (attach) {
            projectHelper.attachArtifact(project, "zip", "pyfiles", result.pyFilesZip().toFile());
        }
    }

    @Override
    protected String goal() {
        return "pybundle:bundle";
    }
}

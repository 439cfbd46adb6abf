package io.github.pybundle.maven;

import io.github.pybundle.core.project.ProjectPackager;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Builds a PEP 427 wheel (<code>{name}-{version}-py3-none-any.whl</code>) of the project's own Python code and attaches it
 * with type {@code whl}.
 *
 * @since 0.1.0
 */
@Mojo(name = "wheel", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class WheelMojo extends AbstractPyBundleMojo {
    @Override
    protected void doExecute() throws Exception {
        DeclaredRequirements declared = declaredRequirements();
        String license = project.getLicenses() == null || project.getLicenses().isEmpty()
                ? null
                : project.getLicenses().get(0).getName();
        Path wheel = packager().buildWheel(new ProjectPackager.WheelRequest(pythonSourceDirectory.toPath(),
                mainScript.toPath(), identity(), project.getDescription(), license, project.getUrl(),
                outputDirectory.toPath(), timestamp(), declared));
        if (attach) {
            projectHelper.attachArtifact(project, "whl", null, wheel.toFile());
        }
    }

    @Override
    protected String goal() {
        return "pybundle:wheel";
    }
}

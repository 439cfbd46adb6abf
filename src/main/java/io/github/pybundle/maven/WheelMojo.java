package io.github.pybundle.maven;

import io.github.pybundle.core.app.WheelService;
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
public class WheelMojo extends AbstractProjectMojo {
    @Override
    protected void doExecute() throws Exception {
        String license = project.getLicenses() == null || project.getLicenses().isEmpty() ? null
                : project.getLicenses().get(0).getName();
        Path wheel = new WheelService(listener()).build(new WheelService.Request(pythonSourceDirectory.toPath(),
                mainScript.toPath(), identity(), project.getDescription(), license, project.getUrl(),
                outputDirectory.toPath(), timestamp(), dependencyRequest().requirements()));
        attach("whl", null, wheel.toFile());
    }

    @Override
    protected String goal() {
        return "pybundle:wheel";
    }
}

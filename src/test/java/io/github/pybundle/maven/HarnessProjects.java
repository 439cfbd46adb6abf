package io.github.pybundle.maven;

import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.project.MavenProject;

/** Gives the harness's stub project what a real build has before the package phase: coordinates and an artifact. */
final class HarnessProjects {
    private HarnessProjects() {
    }

    /** Points a goal at a source tree (main script main.py) and an output directory, in a project with coordinates. */
    static void pointAt(AbstractPyBundleMojo mojo, java.nio.file.Path src, java.nio.file.Path out) throws Exception {
        org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject(mojo, "pythonSourceDirectory",
                src.toFile());
        org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject(mojo, "mainScript",
                src.resolve("main.py").toFile());
        org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject(mojo, "outputDirectory",
                out.toFile());
        withPomArtifact(mojo.project);
    }

    static void withPomArtifact(MavenProject project) {
        project.setGroupId("io.github.pybundle.test");
        project.setArtifactId("harness-project");
        project.setVersion("1.0-SNAPSHOT");
        project.setArtifact(new DefaultArtifact("io.github.pybundle.test", "harness-project", "1.0-SNAPSHOT",
                "compile", "pom", null, new DefaultArtifactHandler("pom")));
    }
}

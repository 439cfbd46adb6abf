package io.github.pybundle.maven;

import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.project.MavenProject;

/** Gives the harness's stub project what a real build has before the package phase: coordinates and an artifact. */
final class HarnessProjects {
    private HarnessProjects() {
    }

    static void withPomArtifact(MavenProject project) {
        project.setGroupId("io.github.pybundle.test");
        project.setArtifactId("harness-project");
        project.setVersion("1.0-SNAPSHOT");
        project.setArtifact(new DefaultArtifact("io.github.pybundle.test", "harness-project", "1.0-SNAPSHOT",
                "compile", "pom", null, new DefaultArtifactHandler("pom")));
    }
}

package io.github.pybundle.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OnlyBuildInJvmTest {
    // The JIT focus leaves methods compiled by C1 for the rest of the JVM: only when nothing else is built there.
    @Test
    void onlyForTheLastProjectOfAOneAtATimeCommandLineBuild() {
        org.apache.maven.project.MavenProject lib = project("lib");
        org.apache.maven.project.MavenProject app = project("app");
        java.util.Properties cli = new java.util.Properties();
        cli.setProperty("classworlds.conf", "/opt/maven/bin/m2.conf");
        assertTrue(OnlyBuildInJvm.test(false, List.of(lib, app), app, cli));
        assertTrue(OnlyBuildInJvm.test(false, List.of(app), project("app"), cli), "equal, not the same object");
        assertFalse(OnlyBuildInJvm.test(false, List.of(app, lib), app, cli), "another project is built later");
        assertFalse(OnlyBuildInJvm.test(true, List.of(lib, app), app, cli), "-T: built beside others");
        assertFalse(OnlyBuildInJvm.test(false, List.of(lib, app), app, new java.util.Properties()),
                "Maven embedded (an IDE): the JVM lives on");
        java.util.Properties daemon = new java.util.Properties();
        daemon.putAll(cli);
        daemon.setProperty("mvnd.home", "/opt/mvnd");
        assertFalse(OnlyBuildInJvm.test(false, List.of(lib, app), app, daemon), "the Maven daemon");
        assertFalse(OnlyBuildInJvm.test(false, List.of(), app, cli));
    }

    private static org.apache.maven.project.MavenProject project(String artifactId) {
        org.apache.maven.project.MavenProject p = new org.apache.maven.project.MavenProject();
        p.setGroupId("g");
        p.setArtifactId(artifactId);
        p.setVersion("1");
        return p;
    }
}

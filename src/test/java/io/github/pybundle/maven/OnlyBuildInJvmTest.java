package io.github.pybundle.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OnlyBuildInJvmTest {
    private static final List<String> PACKAGE = List.of("clean", "package");
    // The JIT focus leaves methods compiled by C1 for the rest of the JVM: only when nothing else is built there.
    @Test
    void onlyForTheLastProjectOfAOneAtATimeCommandLineBuild() {
        org.apache.maven.project.MavenProject lib = project("lib");
        org.apache.maven.project.MavenProject app = project("app");
        java.util.Properties cli = new java.util.Properties();
        cli.setProperty("classworlds.conf", "/opt/maven/bin/m2.conf");
        assertTrue(OnlyBuildInJvm.test(false, PACKAGE, List.of(lib, app), app, cli));
        assertTrue(OnlyBuildInJvm.test(false, PACKAGE, List.of(app), project("app"), cli), "equal, not the same object");
        assertFalse(OnlyBuildInJvm.test(false, PACKAGE, List.of(app, lib), app, cli), "another project is built later");
        assertFalse(OnlyBuildInJvm.test(true, PACKAGE, List.of(lib, app), app, cli), "-T: built beside others");
        assertFalse(OnlyBuildInJvm.test(false, PACKAGE, List.of(lib, app), app, new java.util.Properties()),
                "Maven embedded (an IDE): the JVM lives on");
        java.util.Properties daemon = new java.util.Properties();
        daemon.putAll(cli);
        daemon.setProperty("mvnd.home", "/opt/mvnd");
        assertFalse(OnlyBuildInJvm.test(false, PACKAGE, List.of(lib, app), app, daemon), "the Maven daemon");
        assertFalse(OnlyBuildInJvm.test(false, PACKAGE, List.of(), app, cli));
        java.util.Properties shell = new java.util.Properties();
        shell.putAll(cli);
        shell.setProperty("maven.mainClass", "org.apache.maven.cling.MavenShellCling");
        assertFalse(OnlyBuildInJvm.test(false, PACKAGE, List.of(lib, app), app, shell), "Maven 4's shell");
        shell.setProperty("maven.mainClass", "org.apache.maven.cling.MavenCling");
        assertTrue(OnlyBuildInJvm.test(false, PACKAGE, List.of(lib, app), app, shell), "Maven 4's mvn");
    }

    // A goal on the command line other than a phase or pybundle's may run in this JVM after every project.
    @Test
    void onlyWhenTheCommandNamesPhasesAndPybundleGoals() {
        org.apache.maven.project.MavenProject app = project("app");
        java.util.Properties cli = new java.util.Properties();
        cli.setProperty("classworlds.conf", "/opt/maven/bin/m2.conf");
        for (List<String> goals : List.of(List.of("verify"), List.of("pybundle:lock"),
                List.of("io.github.pybundle:pybundle-maven-plugin:0.2.0:lock"), List.of("clean", "install"))) {
            assertTrue(OnlyBuildInJvm.test(false, goals, List.of(app), app, cli), goals.toString());
        }
        for (List<String> goals : List.of(List.of("package", "javadoc:aggregate"), List.of("exec:java"),
                List.of("site"))) {
            assertFalse(OnlyBuildInJvm.test(false, goals, List.of(app), app, cli), goals.toString());
        }
    }

    private static org.apache.maven.project.MavenProject project(String artifactId) {
        org.apache.maven.project.MavenProject p = new org.apache.maven.project.MavenProject();
        p.setGroupId("g");
        p.setArtifactId(artifactId);
        p.setVersion("1");
        return p;
    }
}

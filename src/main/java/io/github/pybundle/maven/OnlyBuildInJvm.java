package io.github.pybundle.maven;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;

/**
 * Whether no other project's build runs in this JVM after a goal or beside it, so that what the goal changes in the
 * JVM for its own sake (the JIT focus) is changed for nobody else: a build from the {@code mvn} command (not the
 * Maven daemon nor Maven's shell, whose JVMs live on for further builds, nor Maven embedded in an IDE), one project at
 * a time, this project the last, and the command naming only lifecycle phases and pybundle goals (not, say,
 * {@code javadoc:aggregate}, which runs after every project). What this cannot see: plugins the project binds to
 * later phases of its own lifecycle (a shade or assembly after {@code package}) run in the same JVM afterwards.
 */
final class OnlyBuildInJvm {
    /** The phases of Maven's default and clean lifecycles. */
    static final Set<String> PHASES = Set.of("pre-clean", "clean", "post-clean", "validate", "initialize",
            "generate-sources", "process-sources", "generate-resources", "process-resources", "compile",
            "process-classes", "generate-test-sources", "process-test-sources", "generate-test-resources",
            "process-test-resources", "test-compile", "process-test-classes", "test", "prepare-package", "package",
            "pre-integration-test", "integration-test", "post-integration-test", "verify", "install", "deploy");

    private OnlyBuildInJvm() {
    }

    static boolean test(MavenSession session, MavenProject project) {
        return session != null && test(session.isParallel(), session.getGoals(), session.getProjects(), project,
                System.getProperties());
    }

    static boolean test(boolean parallel, List<String> goals, List<MavenProject> projects, MavenProject project,
                        Properties system) {
        // classworlds.conf: set by the launcher of the mvn command (and of mvnd's daemon: mvnd.home tells it apart);
        // maven.mainClass: Maven 4's launchers, its shell among them
        String main = system.getProperty("maven.mainClass", "");
        if (parallel || system.getProperty("classworlds.conf") == null || system.getProperty("mvnd.home") != null
                || main.contains("Shell")) {
            return false;
        }
        if (goals == null || !goals.stream().allMatch(g -> PHASES.contains(g) || g.startsWith("pybundle:")
                || g.startsWith("io.github.pybundle:pybundle-maven-plugin:"))) {
            return false;
        }
        return projects != null && !projects.isEmpty() && projects.get(projects.size() - 1).equals(project);
    }
}

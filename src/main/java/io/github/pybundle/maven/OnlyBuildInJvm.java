package io.github.pybundle.maven;

import java.util.List;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;

/**
 * Whether no other project's build runs in this JVM after a goal or beside it: a command-line build (not the Maven
 * daemon, whose JVM lives on, nor Maven embedded in an IDE), one project at a time, this one the last. What a goal
 * changes in the JVM for its own sake (the JIT focus) is then changed for nobody else.
 */
final class OnlyBuildInJvm {
    private OnlyBuildInJvm() {
    }

    static boolean test(MavenSession session, MavenProject project) {
        return session != null && test(session.isParallel(), session.getProjects(), project, System.getProperties());
    }

    static boolean test(boolean parallel, List<MavenProject> projects, MavenProject project, Properties system) {
        // classworlds.conf: set by the mvn command's launcher; mvnd.home: by the Maven daemon
        if (parallel || system.getProperty("classworlds.conf") == null || system.getProperty("mvnd.home") != null) {
            return false;
        }
        return projects != null && !projects.isEmpty() && projects.get(projects.size() - 1).equals(project);
    }
}

package io.github.pybundle.maven;

import io.github.pybundle.core.app.TreeService;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Prints the resolved dependencies for the {@code <target>} as a tree, with the requirement (and marker) that
 * brought each package in.
 *
 * @since 0.1.0
 */
@Mojo(name = "tree", threadSafe = true)
public class TreeMojo extends AbstractDependencyMojo {
    @Override
    protected void doExecute() throws Exception {
        new TreeService(listener()).tree(dependencyRequest(), indexSource());
    }

    @Override
    protected String goal() {
        return "pybundle:tree";
    }
}

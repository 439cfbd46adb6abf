package io.github.pybundle.maven;

import io.github.pybundle.core.resolve.TreeRenderer;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Prints the resolved dependencies for the {@code <target>} as a tree, with the requirement (and marker) that
 * brought each package in.
 *
 * @since 0.1.0
 */
@Mojo(name = "tree", threadSafe = true)
public class TreeMojo extends AbstractPyBundleMojo {
    @Override
    protected void doExecute() throws Exception {
        var r = resolveForTarget();
        getLog().info("Dependencies for " + resolvedTarget().describe() + ":");
        TreeRenderer.render(r.resolution()).forEach(getLog()::info);
    }

    @Override
    protected String goal() {
        return "pybundle:tree";
    }
}

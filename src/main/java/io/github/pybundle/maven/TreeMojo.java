package io.github.pybundle.maven;

import io.github.pybundle.core.app.TreeService;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints the dependencies for the {@code <target>} as a tree, each package under what brought it in: the locked
 * versions when {@code pylock.toml} still answers the requirements (what the bundle uses, without the network), else
 * a fresh resolution; {@code -Dpybundle.refresh} resolves afresh and marks every version that differs from the lock.
 *
 * @since 0.1.0
 */
@Mojo(name = "tree", threadSafe = true)
public class TreeMojo extends AbstractDependencyMojo {
    /**
     * Resolve afresh even when the lock is current, and mark every package whose version differs from the lock.
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.refresh", defaultValue = "false")
    protected boolean refresh;

    @Override
    protected void doExecute() throws Exception {
        new TreeService(listener()).tree(dependencyRequest(), indexSource(), refresh);
    }

    @Override
    protected String goal() {
        return "pybundle:tree";
    }
}

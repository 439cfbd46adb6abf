package io.github.pybundle.maven;

import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.lock.Locker;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.resolve.Target;
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
        DeclaredRequirements declared = declaredRequirements();
        Target t = resolvedTarget();
        IndexConfiguration config = indexConfiguration(declared);
        Locker.Result r = new Locker(listener()).lock(declared, t, providedPackages(), allowPrereleases, config,
                lockFile.toPath(), sourceBuilder(t, config));
        getLog().info("Dependencies for " + t.describe() + ":");
        TreeRenderer.render(r.resolution()).forEach(getLog()::info);
    }

    @Override
    protected String goal() {
        return "pybundle:tree";
    }
}

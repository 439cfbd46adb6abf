package io.github.pybundle.maven;

import io.github.pybundle.core.app.LockService;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Resolves the declared requirements for the {@code <target>} (the cluster's Python and platform) and writes
 * {@code pylock.toml} (PEP 751) with the exact wheel, URL, size and sha256 of every package.
 *
 * @since 0.1.0
 */
@Mojo(name = "lock", threadSafe = true)
public class LockMojo extends AbstractDependencyMojo {
    @Override
    protected void doExecute() throws Exception {
        new LockService(listener()).lock(dependencyRequest(), indexSource());
    }

    @Override
    protected String goal() {
        return "pybundle:lock";
    }
}

package io.github.pybundle.maven;

import io.github.pybundle.core.app.JitFocus;
import io.github.pybundle.core.app.LockService;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Resolves the declared requirements for the {@code <target>} (the cluster's Python and platform) and writes
 * {@code pylock.toml} (PEP 751) with the exact wheel, URL, size and sha256 of every package.
 *
 * @since 0.1.0
 */
@Mojo(name = "lock", threadSafe = true)
public class LockMojo extends AbstractDependencyMojo {
    /**
     * As the bundle goal's {@code <jitFocus>}: on a machine with at most 2 processors, while the index is read and the
     * requirements resolved, HotSpot's optimising compiler works only for the JDK's cryptography. {@code false} never
     * does it.
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.jitFocus", defaultValue = "true")
    protected boolean jitFocus;

    @Override
    protected void doExecute() throws Exception {
        new LockService(listener()).withJitFocus(jitFocus && JitFocus.worthwhile(Runtime.getRuntime()
                        .availableProcessors()) && OnlyBuildInJvm.test(session, project))
                .lock(dependencyRequest(), indexSource());
    }

    @Override
    protected String goal() {
        return "pybundle:lock";
    }
}

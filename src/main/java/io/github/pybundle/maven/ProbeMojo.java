package io.github.pybundle.maven;

import io.github.pybundle.core.app.ProbeService;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Writes {@code target/pybundle/probe.py}, which describes a cluster's Python (version, ABI, platform with its glibc
 * or musl version, marker environment, installed distributions) as JSON for {@code <target><environmentFile>}.
 * It runs on Python 2.7 and 3.x; through spark-submit it probes the executors.
 *
 * @since 0.1.0
 */
@Mojo(name = "probe", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true, requiresProject = false)
public class ProbeMojo extends AbstractPyBundleMojo {
    @Override
    protected void doExecute() throws Exception {
        new ProbeService(listener()).write(outputDirectory.toPath());
    }

    @Override
    protected String goal() {
        return "pybundle:probe";
    }
}

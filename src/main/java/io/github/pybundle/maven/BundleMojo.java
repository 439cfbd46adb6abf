package io.github.pybundle.maven;

import io.github.pybundle.core.project.ProjectPackager;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.lock.LockedWheels;
import io.github.pybundle.core.lock.Pylock;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.resolve.Target;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the deployment bundle: <code>target/{finalName}-pyfiles.zip</code> for {@code spark-submit --py-files}
 * (attached with classifier {@code pyfiles}) and the launcher {@code target/pybundle/spark-submit.sh}.
 *
 * @since 0.1.0
 */
@Mojo(name = "bundle", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BundleMojo extends AbstractPyBundleMojo {
    /** Base name of the outputs. */
    @Parameter(defaultValue = "${project.build.finalName}", readonly = true, required = true)
    protected String finalName;

    /**
     * Re-resolve and rewrite the lock instead of failing when it no longer matches the requirements or target.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.updateLock", defaultValue = "false")
    protected boolean updateLock;

    @Override
    protected void doExecute() throws Exception {
        DeclaredRequirements declared = declaredRequirements();
        List<Path> wheels = List.of();
        if (!declared.requirements().isEmpty()) {
            Target t = resolvedTarget();
            IndexConfiguration config = indexConfiguration(declared);
            LockedWheels locked = new LockedWheels(listener(), sourceBuilder(t, config));
            Pylock lock = locked.ensure(declared, t, providedPackages(), allowPrereleases, config,
                    lockFile.toPath(), updateLock);
            wheels = locked.fetch(lock, lockFile.toPath(), config);
        }
        ProjectPackager.BundleResult result = packager().bundle(new ProjectPackager.BundleRequest(
                pythonSourceDirectory.toPath(), mainScript.toPath(), project.getArtifactId(),
                outputDirectory.toPath(), finalName, timestamp(), wheels));
        if (attach) {
            projectHelper.attachArtifact(project, "zip", "pyfiles", result.pyFilesZip().toFile());
        }
    }

    @Override
    protected String goal() {
        return "pybundle:bundle";
    }
}

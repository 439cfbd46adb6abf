package io.github.pybundle.maven;

import io.github.pybundle.core.app.VerifyService;
import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks the bundle as a cluster will use it: with a local interpreter of the target's Python version, unpacks the
 * environment archive, puts the py-files zip on PYTHONPATH and imports every top-level module of both, then loads
 * every shipped pickle and joblib file ({@code <models>}) with UserWarnings as errors (scikit-learn's
 * InconsistentVersionWarning among them); with Spark
 * available ({@code <verify><sparkHome>} or an importable pyspark) it also runs the application through the
 * generated launcher on {@code local[2]}. A failure names the module and shows Python's error.
 *
 * @since 0.1.0
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends AbstractProjectMojo {
    /** Base name of the outputs. */
    @Parameter(defaultValue = "${project.build.finalName}", readonly = true, required = true)
    protected String finalName;

    /**
     * The interpreter to verify with. Default: {@code pythonX.Y} of the target on PATH, else in pyenv.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.verifyInterpreter")
    protected File verifyInterpreter;

    /**
     * {@code <sparkHome>} and {@code <runApplication>} (default true).
     *
     * @since 0.1.0
     */
    @Parameter
    protected VerifyConfig verify;

    /**
     * Fail, instead of warning, when no interpreter of the target's version is available.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.verify.strict", defaultValue = "false")
    protected boolean strict;

    @Override
    protected void doExecute() throws Exception {
        VerifyConfig v = verify == null ? new VerifyConfig() : verify;
        new VerifyService(listener()).verify(new VerifyService.Request(outputDirectory.toPath(), finalName,
                verifyInterpreter == null ? null : verifyInterpreter.toPath(), targetRequest(),
                v.sparkHome == null ? null : v.sparkHome.toPath(), v.runApplication, strict, System.getenv()));
    }

    @Override
    protected String goal() {
        return "pybundle:verify";
    }
}

package io.github.pybundle.maven;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.app.ExecService;
import io.github.pybundle.core.cache.FileCache;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.codehaus.plexus.util.cli.CommandLineUtils;

/**
 * Runs a Python script in the bundle's own environment: the locked packages for the target, with the shipped
 * interpreter when {@code <target><pythonArchive>} is set, else a local interpreter of the target's Python version,
 * and the project's code and the py-files zip on {@code PYTHONPATH}. Train a model, run the tests or debug in exactly
 * the environment the cluster runs: {@code mvn pybundle:exec -Dpybundle.exec.args="train.py --out
 * src/main/models/clf.pkl"}. It needs no earlier {@code mvn package}: it locks and builds the bundle as the bundle goal
 * does (reusing an unchanged one), without the model check, then unpacks the environment once into the cache
 * ({@code environments/sha256/<archive digest>/}). The script runs from the project's directory with the console's
 * input and output; a failing script fails the build.
 *
 * @since 0.2.0
 */
@Mojo(name = "exec", threadSafe = true, requiresDependencyResolution = ResolutionScope.RUNTIME)
public class ExecMojo extends BundleMojo {
    /**
     * The script and its arguments, as {@code python} takes them, split as a shell would (quotes group words):
     * {@code train.py --out src/main/models/clf.pkl}, {@code -m pytest src/test/python}, {@code -c "import x"}.
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.exec.args")
    protected String args;

    /**
     * The local interpreter when the bundle ships none. Default: {@code pythonX.Y} of the target on PATH, else in
     * pyenv.
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.exec.interpreter")
    protected File execInterpreter;

    @Override
    protected void doExecute() throws Exception {
        List<String> argv;
        try {
            argv = args == null ? List.of() : Arrays.asList(CommandLineUtils.translateCommandline(args));
        } catch (Exception e) {
            throw new InvalidConfigurationException("exec.args", args, "-Dpybundle.exec.args cannot be split into"
                    + " arguments: " + e.getMessage(), "close every quote");
        }
        Path base = project.getBasedir() == null ? Path.of("").toAbsolutePath() : project.getBasedir().toPath();
        Path cache = cacheDirectory != null ? cacheDirectory.toPath()
                : FileCache.defaultRoot(System.getenv(), System.getProperty("user.home"));
        new ExecService(listener(), timer).withJitFocus(jitFocusApplies()).exec(new ExecService.Request(bundleRequest(), argv, base, cache,
                execInterpreter == null ? null : execInterpreter.toPath(), System.getenv()), indexSource());
    }

    @Override
    protected String goal() {
        return "pybundle:exec";
    }
}

package io.github.pybundle.maven;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.PyBundleException;

import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.bundle.PyFilesZipBuilder;
import io.github.pybundle.core.resolve.SourceBuilder;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.core.verify.BundleVerifier;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks the bundle as a cluster will use it: with a local interpreter of the target's Python version, unpacks the
 * environment archive, puts the py-files zip on PYTHONPATH and imports every top-level module of both; with Spark
 * available ({@code <verify><sparkHome>} or an importable pyspark) it also runs the application through the
 * generated launcher on {@code local[2]}. A failure names the module and shows Python's error.
 *
 * @since 0.1.0
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends AbstractPyBundleMojo {
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
        Path out = outputDirectory.toPath();
        Path zip = out.resolve(PyFilesZipBuilder.fileName(finalName));
        if (!Files.isRegularFile(zip)) {
            throw new PyBundleException("there is no bundle to verify: " + zip
                    + " is missing", java.util.List.of("run pybundle:bundle before pybundle:verify (both run in"
                    + " mvn verify when the plugin's executions include them)"));
        }
        Path env = Stream.of(EnvironmentArchiveBuilder.Format.values())
                .map(f -> out.resolve(EnvironmentArchiveBuilder.fileName(finalName, f))).filter(Files::isRegularFile)
                .findFirst().orElse(null);
        boolean hasTarget = target != null && (target.pythonVersion != null || target.environmentFile != null);
        Path python;
        String wanted;
        if (verifyInterpreter != null) {
            python = verifyInterpreter.toPath();
            wanted = python.toString();
        } else if (hasTarget) {
            Target t = resolvedTarget();
            wanted = "python" + t.major() + "." + t.minor();
            python = SourceBuilder.findInterpreter(t.major(), t.minor(), System.getenv());
        } else {
            wanted = "python3";
            python = onPath("python3");
        }
        if (python == null) {
            String message = "Skipped verification: no " + wanted + " on PATH or in pyenv; set <verifyInterpreter>"
                    + " to check the bundle with the cluster's Python version";
            if (strict) {
                throw new PyBundleException(message, java.util.List.of(
                        "install " + wanted + " (e.g. with pyenv) or drop -Dpybundle.verify.strict"));
            }
            getLog().warn(message);
            return;
        }
        Path work = out.resolve("pybundle/verify");
        delete(work);
        Files.createDirectories(work);
        BundleVerifier verifier = new BundleVerifier(listener());
        verifier.importAll(python, zip, env, work);
        VerifyConfig v = verify == null ? new VerifyConfig() : verify;
        Path sparkHome = v.sparkHome != null ? v.sparkHome.toPath() : importablePyspark(python);
        if (v.sparkHome != null && !Files.isExecutable(sparkHome.resolve("bin/spark-submit"))) {
            throw new InvalidConfigurationException("verify", sparkHome.toString(),
                    "<verify><sparkHome> " + sparkHome + " has no bin/spark-submit", "point it at a Spark"
                    + " installation, or at the directory of an installed pyspark package");
        }
        if (!v.runApplication) {
            getLog().info("Not running the application: <verify><runApplication> is false");
        } else if (sparkHome == null) {
            getLog().info("Not running the application: no <verify><sparkHome>, and " + python
                    + " cannot import pyspark");
        } else {
            verifier.runLocally(out.resolve("pybundle/spark-submit.sh"), sparkHome, python,
                    Map.of("PYBUNDLE_CACHE", work.resolve("cache").toString()));
        }
    }

    private static Path onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, exe);
            if (!dir.isBlank() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    // pip's pyspark carries a whole Spark: its package directory is a SPARK_HOME with bin/spark-submit.
    private static Path importablePyspark(Path python) {
        try {
            Process p = new ProcessBuilder(python.toString(), "-c",
                    "import os, pyspark; print(os.path.dirname(pyspark.__file__))").start();
            String dir = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.getErrorStream().readAllBytes();
            if (p.waitFor() == 0 && Files.isExecutable(Path.of(dir, "bin", "spark-submit"))) {
                return Path.of(dir);
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }

    private static void delete(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Override
    protected String goal() {
        return "pybundle:verify";
    }
}

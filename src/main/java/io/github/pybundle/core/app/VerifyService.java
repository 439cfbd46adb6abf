package io.github.pybundle.core.app;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.bundle.PyFilesZipBuilder;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.model.ModelFile;
import io.github.pybundle.core.target.Interpreters;
import io.github.pybundle.core.target.PythonArchive;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.core.verify.BundleVerifier;
import io.github.pybundle.core.archive.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code verify} goal: checks the bundle as a cluster will use it, with a local interpreter of the target's
 * Python version, and runs the application on a local Spark when one is available.
 */
public final class VerifyService {
    private final BuildListener listener;

    public VerifyService(BuildListener listener) {
        this.listener = listener;
    }

    /**
     * What to verify and with what.
     *
     * @param outputDirectory the build directory holding the bundle
     * @param finalName the base name of the outputs
     * @param interpreter the interpreter to use, or null to find {@code pythonX.Y} of the target
     * @param target the cluster (its Python version picks the interpreter), or null for {@code python3}
     * @param sparkHome a Spark installation, or null to use the pyspark the interpreter imports
     * @param runApplication whether to run the application on {@code local[2]}
     * @param strict whether a missing interpreter fails instead of warning
     * @param env the environment variables
     */
    public record Request(Path outputDirectory, String finalName, Path interpreter, TargetRequest target,
                          Path sparkHome, boolean runApplication, boolean strict, Map<String, String> env) {
    }

    /** Verifies; returns false when it was skipped for want of an interpreter. */
    public boolean verify(Request r) throws IOException {
        Path out = r.outputDirectory();
        Path zip = out.resolve(PyFilesZipBuilder.fileName(r.finalName()));
        if (!Files.isRegularFile(zip)) {
            throw new PyBundleException("there is no bundle to verify: " + zip + " is missing", List.of("run"
                    + " pybundle:bundle before pybundle:verify (both run in {!verify} when the plugin's executions"
                    + " include them)"));
        }
        Path env = Stream.of(EnvironmentArchiveBuilder.Format.values())
                .map(f -> out.resolve(EnvironmentArchiveBuilder.fileName(r.finalName(), f)))
                .filter(Files::isRegularFile).findFirst().orElse(null);
        Path work = out.resolve("pybundle/verify");
        FileTrees.delete(work);
        Files.createDirectories(work);
        Path unpacked = null;
        if (env != null) {
            unpacked = work.resolve("environment");
            BundleVerifier.unpack(env, unpacked);
        }
        Path python;
        String wanted;
        if (unpacked != null && Files.isDirectory(unpacked.resolve(PythonArchive.ROOT))) {
            python = unpacked.resolve("bin/python"); // the shipped interpreter: no local Python needed
            wanted = python.toString();
        } else if (r.interpreter() != null) {
            python = r.interpreter();
            wanted = python.toString();
        } else if (r.target() != null && r.target().given()) {
            Target t = r.target().target();
            wanted = "python" + t.major() + "." + t.minor();
            python = Interpreters.find(t.major(), t.minor(), r.env());
        } else {
            wanted = "python3";
            python = Interpreters.onPath("python3", r.env());
        }
        if (python == null) {
            String message = "Skipped verification: no " + wanted + " on PATH or in pyenv; set {@verifyInterpreter}"
                    + " to check the bundle with the cluster's Python version";
            if (r.strict()) {
                throw new PyBundleException(message, List.of("install " + wanted
                        + " (e.g. with pyenv) or drop {#verify.strict}"));
            }
            listener.log(Level.WARN, message);
            return false;
        }
        BundleVerifier verifier = new BundleVerifier(listener);
        verifier.importAll(python, zip, unpacked, work);
        verifier.loadModels(python, zip, unpacked, work, models(out.resolve("pybundle/files")));
        Path sparkHome = r.sparkHome() != null ? r.sparkHome() : importablePyspark(python);
        if (r.sparkHome() != null && !Files.isExecutable(sparkHome.resolve("bin/spark-submit"))) {
            throw new InvalidConfigurationException("verify", sparkHome.toString(),
                    "{@verify.sparkHome} " + sparkHome + " has no bin/spark-submit", "point it at a Spark"
                    + " installation, or at the directory of an installed pyspark package");
        }
        if (!r.runApplication()) {
            listener.log(Level.INFO, "Not running the application: {@verify.runApplication} is false");
        } else if (sparkHome == null) {
            listener.log(Level.INFO, "Not running the application: no {@verify.sparkHome}, and " + python
                    + " cannot import pyspark");
        } else {
            verifier.runLocally(out.resolve("pybundle/spark-submit.sh"), sparkHome, python,
                    Map.of("PYBUNDLE_CACHE", work.resolve("cache").toString()));
        }
        return true;
    }

    // The shipped files that are pickles or joblib files (skops files need skops' list of trusted types: not loaded).
    private static List<Path> models(Path files) throws IOException {
        if (!Files.isDirectory(files)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(files)) {
            return s.filter(Files::isRegularFile).filter(ModelFile::readable)
                    .filter(p -> !p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".skops"))
                    .sorted().toList();
        }
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
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return null;
    }

}

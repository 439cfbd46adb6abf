package io.github.pybundle.core.app;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.lock.Locker;
import io.github.pybundle.core.probe.ClusterProbe;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.target.PythonArchive;
import io.github.pybundle.core.target.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster as the user describes it: the target's values, or a probe's output, and what the cluster provides.
 *
 * @param spec the target's values as given (any may be null)
 * @param environmentFile a probe's JSON output that replaces {@code spec}, or null
 * @param provided packages the cluster has, {@code name} or {@code name==version}
 * @param sparkProvided whether pyspark and py4j come with Spark
 * @param interpreter the cluster's interpreter command, or null for {@code python3}
 * @param pythonArchive the interpreter to ship in the environment archive, or null
 * @param allowNativeMismatch packages whose native code may need more than the target provides (a warning, not an
 *     error)
 */
public record TargetRequest(Target.Spec spec, Path environmentFile, List<String> provided, boolean sparkProvided,
                            String interpreter, PythonArchive.Source pythonArchive, List<String> allowNativeMismatch) {
    public TargetRequest {
        provided = provided == null ? List.of() : List.copyOf(provided);
        spec = spec != null ? spec : new Target.Spec(null, null, null, List.of(), List.of(), null);
        allowNativeMismatch = allowNativeMismatch == null ? List.of() : List.copyOf(allowNativeMismatch);
    }

    /** A target whose native code must match (no {@code allowNativeMismatch}). */
    public TargetRequest(Target.Spec spec, Path environmentFile, List<String> provided, boolean sparkProvided,
                         String interpreter, PythonArchive.Source pythonArchive) {
        this(spec, environmentFile, provided, sparkProvided, interpreter, pythonArchive, List.of());
    }

    /**
     * The packages of {@link #allowNativeMismatch()}, normalized.
     *
     * @throws InvalidConfigurationException when one is not a valid project name
     */
    public List<String> nativeMismatchAllowed() {
        List<String> out = new java.util.ArrayList<>();
        for (String n : allowNativeMismatch) {
            if (n == null || !ProjectName.isValid(n.strip())) {
                throw new InvalidConfigurationException("target", n, "{@target.allowNativeMismatch} entry '" + n
                        + "' is not a package name", "name the package as in the requirements, e.g. numpy");
            }
            out.add(ProjectName.normalize(n.strip()));
        }
        return out;
    }

    /** Whether the user described a target at all (a Python version or a probe's output). */
    public boolean given() {
        return environmentFile != null || spec != null && spec.pythonVersion() != null;
    }

    /** The validated target; fails naming what is missing or malformed. */
    public Target target() throws IOException {
        return Target.of(environmentFile != null ? ClusterProbe.read(environmentFile).spec() : spec);
    }

    /** The provided packages: a probe's installed ones, the declared ones, and pyspark/py4j unless turned off. */
    public Map<String, String> providedPackages() throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (environmentFile != null) {
            out.putAll(ClusterProbe.read(environmentFile).installed());
        }
        out.putAll(Locker.provided(provided, sparkProvided));
        return out;
    }

    /** The interpreter command {@code bin/python} of the environment archive runs. */
    public String interpreterCommand() {
        return interpreter == null || interpreter.isBlank() ? "python3" : interpreter;
    }
}

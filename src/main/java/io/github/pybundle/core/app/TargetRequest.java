package io.github.pybundle.core.app;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.lock.Locker;
import io.github.pybundle.core.probe.ClusterProbe;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.target.PythonArchive;
import io.github.pybundle.core.target.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * @param ignoreProvidedFromProbe names of packages the probe found installed that are bundled all the same
 */
public record TargetRequest(Target.Spec spec, Path environmentFile, List<String> provided, boolean sparkProvided,
                            String interpreter, PythonArchive.Source pythonArchive,
                            List<String> ignoreProvidedFromProbe) {
    /** Above this many, the packages a probe makes provided are counted at info level and listed at debug level. */
    static final int LISTED_AT_INFO = 20;

    public TargetRequest {
        provided = provided == null ? List.of() : List.copyOf(provided);
        spec = spec != null ? spec : new Target.Spec(null, null, null, List.of(), List.of(), null);
        ignoreProvidedFromProbe = ignoreProvidedFromProbe == null ? List.of() : ignoreProvidedFromProbe.stream()
                .filter(n -> n != null && !n.isBlank()).map(String::strip).toList();
    }

    /** A target that takes every package a probe found as provided. */
    public TargetRequest(Target.Spec spec, Path environmentFile, List<String> provided, boolean sparkProvided,
                         String interpreter, PythonArchive.Source pythonArchive) {
        this(spec, environmentFile, provided, sparkProvided, interpreter, pythonArchive, List.of());
    }

    /** Whether the user described a target at all (a Python version or a probe's output). */
    public boolean given() {
        return environmentFile != null || spec != null && spec.pythonVersion() != null;
    }

    /** The validated target; fails naming what is missing or malformed. */
    public Target target() throws IOException {
        return Target.of(environmentFile != null ? ClusterProbe.read(environmentFile).spec() : spec);
    }

    /**
     * The provided packages: a probe's installed ones (but those {@code ignoreProvidedFromProbe} names), the declared
     * ones, and pyspark/py4j unless turned off. A declared version replaces the probe's; "any version" (pyspark and
     * py4j by default, or a bare name) does not replace the version the probe found.
     */
    public Map<String, String> providedPackages() throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (environmentFile != null) {
            out.putAll(fromProbe(ClusterProbe.read(environmentFile)));
        }
        Locker.provided(provided, sparkProvided).forEach((name, version) -> {
            if (!version.isEmpty() || !out.containsKey(name)) {
                out.put(name, version);
            }
        });
        return out;
    }

    /**
     * Says which packages a probe's output makes provided (they are never bundled, so a build should not take them
     * silently): one line with them all, or their count when there are many (the list at debug level); and which
     * {@code ignoreProvidedFromProbe} bundles instead. Nothing without a probe's output.
     */
    public void reportProvidedFromProbe(BuildListener listener) throws IOException {
        if (environmentFile == null) {
            return;
        }
        ClusterProbe.Environment probe = ClusterProbe.read(environmentFile);
        Map<String, String> taken = fromProbe(probe);
        String file = "{@target.environmentFile} " + environmentFile.getFileName();
        List<String> listed = new ArrayList<>();
        taken.forEach((name, version) -> listed.add(name + " " + version));
        String what = "Provided by the cluster, as " + file + " lists them installed (never bundled; "
                + "{@target.ignoreProvidedFromProbe} bundles named ones): " + BuildListener.count(taken.size(),
                "package");
        if (taken.size() <= LISTED_AT_INFO) {
            listener.log(Level.INFO, what + (taken.isEmpty() ? "" : ": " + String.join(", ", listed)));
        } else {
            listener.log(Level.INFO, what + " (listed at debug level)");
            listener.log(Level.DEBUG, "Provided by the cluster, from " + file + ": " + String.join(", ", listed));
        }
        List<String> bundled = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : ignored()) {
            String version = probe.installed().get(name);
            if (version == null) {
                unknown.add(name);
            } else {
                bundled.add(name + " " + version);
            }
        }
        if (!bundled.isEmpty()) {
            listener.log(Level.INFO, "Bundled although " + file + " lists them installed"
                    + " ({@target.ignoreProvidedFromProbe}): " + String.join(", ", bundled));
        }
        if (!unknown.isEmpty()) {
            listener.log(Level.WARN, "{@target.ignoreProvidedFromProbe} names " + String.join(", ", unknown)
                    + ", which " + file + " does not list: nothing to ignore (a misspelt name?)");
        }
    }

    // The probe's installed packages, but those the user wants bundled.
    private Map<String, String> fromProbe(ClusterProbe.Environment probe) {
        Map<String, String> out = new TreeMap<>(probe.installed());
        out.keySet().removeAll(ignored());
        return out;
    }

    private Set<String> ignored() {
        Set<String> names = new LinkedHashSet<>();
        for (String n : ignoreProvidedFromProbe) {
            if (!ProjectName.isValid(n)) {
                throw new InvalidConfigurationException("target", n, "{@target.ignoreProvidedFromProbe} entry '" + n
                        + "' is not a package name", "write the name only, e.g. numpy");
            }
            names.add(ProjectName.normalize(n));
        }
        return names;
    }

    /** The interpreter command {@code bin/python} of the environment archive runs. */
    public String interpreterCommand() {
        return interpreter == null || interpreter.isBlank() ? "python3" : interpreter;
    }
}

package io.github.pybundle.core.app;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.lock.Locker;
import io.github.pybundle.core.probe.ClusterProbe;
import io.github.pybundle.core.target.ClusterProfile;
import io.github.pybundle.core.target.PythonArchive;
import io.github.pybundle.core.target.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster as the user describes it: the target's values, a named profile or a probe's output, and what the
 * cluster provides.
 *
 * <p>A profile ({@code <target><profile>}) is the name of a built-in {@link ClusterProfile}, or the path of a probe's
 * JSON output (a name ending in {@code .json}, resolved by the adapter against the project). It fills the target;
 * every element given explicitly replaces the profile's value for that element, and {@code provided} entries are
 * added to the profile's (an entry for the same package replaces the profile's version). A profile and an
 * {@code environmentFile} together are an error: both describe the whole cluster.
 *
 * @param spec the target's values as given (any may be null)
 * @param environmentFile a probe's JSON output that replaces {@code spec}, or null
 * @param provided packages the cluster has, {@code name} or {@code name==version}
 * @param sparkProvided whether pyspark and py4j come with Spark
 * @param interpreter the cluster's interpreter command, or null for {@code python3}
 * @param pythonArchive the interpreter to ship in the environment archive, or null
 * @param profile a built-in profile's name or a probe output's path, or null
 */
public record TargetRequest(Target.Spec spec, Path environmentFile, List<String> provided, boolean sparkProvided,
                            String interpreter, PythonArchive.Source pythonArchive, String profile) {
    public TargetRequest {
        provided = provided == null ? List.of() : List.copyOf(provided);
        spec = spec != null ? spec : new Target.Spec(null, null, null, List.of(), List.of(), null);
        profile = profile == null || profile.isBlank() ? null : profile.strip();
    }

    /** A request without a profile. */
    public TargetRequest(Target.Spec spec, Path environmentFile, List<String> provided, boolean sparkProvided,
                         String interpreter, PythonArchive.Source pythonArchive) {
        this(spec, environmentFile, provided, sparkProvided, interpreter, pythonArchive, null);
    }

    /** Whether a profile names a probe's output rather than a built-in profile. */
    public static boolean isProfileFile(String profile) {
        return profile != null && profile.strip().endsWith(".json");
    }

    /** Whether the user described a target at all (a Python version, a profile or a probe's output). */
    public boolean given() {
        return environmentFile != null || profile != null || spec != null && spec.pythonVersion() != null;
    }

    /** The validated target; fails naming what is missing or malformed. */
    public Target target() throws IOException {
        checkOneDescription();
        if (environmentFile != null) {
            return Target.of(ClusterProbe.read(environmentFile).spec());
        }
        if (profile == null) {
            return Target.of(spec);
        }
        Target.Spec base = isProfileFile(profile) ? ClusterProbe.read(Path.of(profile), "target.profile").spec()
                : ClusterProfile.builtIn(profile).spec();
        return Target.of(ClusterProfile.override(base, spec));
    }

    /**
     * The provided packages: a probe's or a profile's, then the declared ones (which win for the same package), and
     * pyspark/py4j unless turned off.
     */
    public Map<String, String> providedPackages() throws IOException {
        checkOneDescription();
        Map<String, String> out = new TreeMap<>();
        if (environmentFile != null) {
            out.putAll(ClusterProbe.read(environmentFile).installed());
        } else if (isProfileFile(profile)) {
            out.putAll(ClusterProbe.read(Path.of(profile), "target.profile").installed());
        }
        List<String> entries = new ArrayList<>();
        if (profile != null && !isProfileFile(profile)) {
            entries.addAll(ClusterProfile.builtIn(profile).provided());
        }
        entries.addAll(provided);
        out.putAll(Locker.provided(entries, sparkProvided));
        return out;
    }

    /** The built-in profile named, or null (none, or a probe output's path). */
    public ClusterProfile builtInProfile() {
        return profile == null || isProfileFile(profile) ? null : ClusterProfile.builtIn(profile);
    }

    /** The Spark version the built-in profile documents, or null. */
    public String sparkVersion() {
        ClusterProfile p = builtInProfile();
        return p == null ? null : p.sparkVersion();
    }

    /** A line for the log: which profile the target comes from and what it sets. */
    public String describeProfile() {
        if (isProfileFile(profile)) {
            return "Target profile " + profile + " (a probe's output); explicit {@target} elements override it";
        }
        ClusterProfile p = ClusterProfile.builtIn(profile);
        return "Target profile " + p.name() + " (" + p.title() + "): Python " + p.pythonVersion() + ", "
                + p.platformsForDisplay() + (p.sparkVersion() == null ? "" : ", Spark " + p.sparkVersion()) + ", "
                + (p.provided().isEmpty() ? "no" : String.valueOf(p.provided().size())) + " provided packages;"
                + " explicit {@target} elements override it";
    }

    /** The interpreter command {@code bin/python} of the environment archive runs. */
    public String interpreterCommand() {
        return interpreter == null || interpreter.isBlank() ? "python3" : interpreter;
    }

    private void checkOneDescription() {
        if (profile != null && environmentFile != null) {
            throw new InvalidConfigurationException("target", profile, "{@target.profile} and"
                    + " {@target.environmentFile} both describe the whole cluster; give one", "keep"
                    + " {@target.environmentFile} alone, or name the probe's output as the profile"
                    + " ({@target.profile=" + environmentFile.getFileName() + "}) to override some of its values"
                    + " with explicit {@target} elements");
        }
    }
}

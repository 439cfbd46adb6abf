package io.github.pybundle.core.app;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.lock.Locker;
import io.github.pybundle.core.probe.ClusterProbe;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.target.ClusterProfile;
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
 * @param ignoreProvidedFromProbe names of packages the probe found installed that are bundled all the same
 * @param allowNativeMismatch packages whose native code may need more than the target provides (a warning, not an
 *     error)
 */
public record TargetRequest(Target.Spec spec, Path environmentFile, List<String> provided, boolean sparkProvided,
                            String interpreter, PythonArchive.Source pythonArchive, String profile,
                            List<String> ignoreProvidedFromProbe, List<String> allowNativeMismatch) {
    /** Above this many, the packages a probe makes provided are counted at info level and listed at debug level. */
    static final int LISTED_AT_INFO = 20;

    public TargetRequest {
        provided = provided == null ? List.of() : List.copyOf(provided);
        spec = spec != null ? spec : new Target.Spec(null, null, null, List.of(), List.of(), null);
        profile = profile == null || profile.isBlank() ? null : profile.strip();
        ignoreProvidedFromProbe = ignoreProvidedFromProbe == null ? List.of() : ignoreProvidedFromProbe.stream()
                .filter(n -> n != null && !n.isBlank()).map(String::strip).toList();
        allowNativeMismatch = allowNativeMismatch == null ? List.of() : List.copyOf(allowNativeMismatch);
    }

    /** A request without a profile, taking every package a probe found as provided. */
    public TargetRequest(Target.Spec spec, Path environmentFile, List<String> provided, boolean sparkProvided,
                         String interpreter, PythonArchive.Source pythonArchive) {
        this(spec, environmentFile, provided, sparkProvided, interpreter, pythonArchive, null, List.of(), List.of());
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
     * The provided packages: a probe's installed ones (but those {@code ignoreProvidedFromProbe} names) or a profile's,
     * then the declared ones, and pyspark/py4j unless turned off. A declared version replaces the probe's or the
     * profile's; "any version" (pyspark and py4j by default, or a bare name) does not replace a version found.
     */
    public Map<String, String> providedPackages() throws IOException {
        checkOneDescription();
        Map<String, String> out = new TreeMap<>();
        ClusterProbe.Environment probe = probe();
        if (probe != null) {
            out.putAll(fromProbe(probe));
        }
        if (profile != null && !isProfileFile(profile)) {
            Map<String, String> listed = new TreeMap<>(Locker.provided(ClusterProfile.builtIn(profile).provided(),
                    false));
            listed.keySet().removeAll(ignored());
            out.putAll(listed);
        }
        Locker.provided(provided, sparkProvided).forEach((name, version) -> {
            if (!version.isEmpty() || !out.containsKey(name)) {
                out.put(name, version);
            }
        });
        return out;
    }

    // The probe's output the target comes from: <environmentFile>, or a profile that names one; null without.
    private ClusterProbe.Environment probe() throws IOException {
        if (environmentFile != null) {
            return ClusterProbe.read(environmentFile);
        }
        return isProfileFile(profile) ? ClusterProbe.read(Path.of(profile), "target.profile") : null;
    }

    /**
     * Says which packages a probe's output makes provided (they are never bundled, so a build should not take them
     * silently): one line with them all, or their count when there are many (the list at debug level); and which
     * {@code ignoreProvidedFromProbe} bundles instead. Nothing without a probe's output.
     */
    public void reportProvidedFromProbe(BuildListener listener) throws IOException {
        ClusterProbe.Environment probe = probe();
        Map<String, String> installed;
        String file;
        if (probe != null) {
            installed = probe.installed();
            file = environmentFile != null ? "{@target.environmentFile} " + environmentFile.getFileName()
                    : "{@target.profile} " + Path.of(profile).getFileName();
        } else if (profile != null && !ClusterProfile.builtIn(profile).provided().isEmpty()) {
            installed = Locker.provided(ClusterProfile.builtIn(profile).provided(), false);
            file = "the cluster profile " + profile.strip();
        } else {
            return;
        }
        Map<String, String> taken = new TreeMap<>(installed);
        taken.keySet().removeAll(ignored());
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
            String version = installed.get(name);
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

    /**
     * The packages of {@link #allowNativeMismatch()}, normalized.
     *
     * @throws InvalidConfigurationException when one is not a valid project name
     */
    public List<String> nativeMismatchAllowed() {
        List<String> out = new ArrayList<>();
        for (String n : allowNativeMismatch) {
            if (n == null || !ProjectName.isValid(n.strip())) {
                throw new InvalidConfigurationException("target", n, "{@target.allowNativeMismatch} entry '" + n
                        + "' is not a package name", "name the package as in the requirements, e.g. numpy");
            }
            out.add(ProjectName.normalize(n.strip()));
        }
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

package io.github.pybundle.core.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pybundle.core.InvalidConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named cluster: what a vendor documents of one platform's Python (version, implementation), its platform tags
 * (glibc and architecture), its Spark version and, where the vendor lists them, the Python packages it already has.
 * Each built-in profile is data, one JSON file under {@code io/github/pybundle/profiles/}, with the vendor pages it
 * comes from; values no page confirmed are left out (then the {@code <target>} defaults apply).
 *
 * @param name the name used in {@code <target><profile>}
 * @param title what the profile describes, e.g. {@code Amazon EMR 7.x on EC2 (Amazon Linux 2023, x86_64)}
 * @param pythonVersion the Python major.minor
 * @param pythonFullVersion the full Python version, or null when not documented
 * @param implementation {@code cp} or {@code pp}, or null for the default
 * @param platforms the platform tags, empty for the default
 * @param os the operating system (and its glibc), or null when not documented
 * @param sparkVersion the Spark version, or null when not documented
 * @param provided the packages the platform has installed, {@code name==version}
 * @param sources the vendor pages, each with what it says
 * @param notes what the profile leaves out and how to adjust it
 */
public record ClusterProfile(String name, String title, String pythonVersion, String pythonFullVersion,
                             String implementation, List<String> platforms, String os, String sparkVersion,
                             List<String> provided, List<Source> sources, List<String> notes) {
    /** Where the built-in profiles are, on the class path. */
    public static final String RESOURCE_DIRECTORY = "/io/github/pybundle/profiles/";
    private static final Set<String> FIELDS = Set.of("name", "title", "pythonVersion", "pythonFullVersion",
            "implementation", "platforms", "os", "sparkVersion", "provided", "sources", "notes");

    /** A vendor page and what it says that the profile relies on. */
    public record Source(String url, String says) {
    }

    public ClusterProfile {
        platforms = List.copyOf(platforms);
        provided = List.copyOf(provided);
        sources = List.copyOf(sources);
        notes = List.copyOf(notes);
    }

    /** The names of the built-in profiles, in the order {@code profiles} lists them. */
    public static List<String> names() {
        try (InputStream in = ClusterProfile.class.getResourceAsStream(RESOURCE_DIRECTORY + "index.txt")) {
            if (in == null) {
                throw new IllegalStateException("the profile index is missing from the plugin");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every built-in profile. */
    public static List<ClusterProfile> all() {
        return names().stream().map(ClusterProfile::builtIn).toList();
    }

    /**
     * The built-in profile of that name.
     *
     * @throws InvalidConfigurationException when there is none, listing the known ones
     */
    public static ClusterProfile builtIn(String name) {
        List<String> known = names();
        String n = name == null ? "" : name.strip();
        if (!known.contains(n)) {
            throw new InvalidConfigurationException("target", name, "{@target.profile} '" + name + "' is not a"
                    + " known cluster profile; known: " + String.join(", ", known), "{!profiles} lists them with"
                    + " their Python, platform and sources; for another cluster, save probe.py's output as a"
                    + " project file and name it: {@target.profile=src/main/pybundle/profiles/NAME.json}");
        }
        try (InputStream in = ClusterProfile.class.getResourceAsStream(RESOURCE_DIRECTORY + n + ".json")) {
            if (in == null) {
                throw new IllegalStateException("the profile " + n + " is listed but missing from the plugin");
            }
            return parse(n, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a profile file; its {@code name} must be {@code expectedName}.
     *
     * @throws IllegalArgumentException naming what is wrong (a defect of the plugin's data, caught by its tests)
     */
    static ClusterProfile parse(String expectedName, byte[] json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(expectedName + ": not a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException(expectedName + ": unknown field '" + f + "'");
            }
        }
        String name = text(root, "name");
        if (!expectedName.equals(name)) {
            throw new IllegalArgumentException(expectedName + ": its name is '" + name + "'");
        }
        List<Source> sources = new ArrayList<>();
        for (JsonNode s : root.path("sources")) {
            sources.add(new Source(text(s, "url"), text(s, "says")));
        }
        if (text(root, "pythonVersion") == null || text(root, "title") == null || sources.isEmpty()
                || sources.stream().anyMatch(s -> s.url() == null || !s.url().startsWith("https://")
                        || s.says() == null)) {
            throw new IllegalArgumentException(expectedName + ": needs a title, a pythonVersion and sources, each"
                    + " with an https url and what it says");
        }
        return new ClusterProfile(name, text(root, "title"), text(root, "pythonVersion"),
                text(root, "pythonFullVersion"), text(root, "implementation"), strings(root, "platforms"),
                text(root, "os"), text(root, "sparkVersion"), strings(root, "provided"), sources,
                strings(root, "notes"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().strip();
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        node.path(field).forEach(v -> out.add(v.asText().strip()));
        return out;
    }

    /** The target this profile describes, before any explicit {@code <target>} element. */
    public Target.Spec spec() {
        return new Target.Spec(pythonVersion, pythonFullVersion, implementation, List.of(), platforms, null);
    }

    /**
     * {@code base} with every element the user gave explicitly in its place: an explicit element replaces the
     * profile's value for that element; the marker environment's variables are overridden one by one.
     */
    public static Target.Spec override(Target.Spec base, Target.Spec explicit) {
        if (explicit == null) {
            return base;
        }
        boolean newPython = given(explicit.pythonVersion());
        Map<String, String> markers = new java.util.LinkedHashMap<>();
        if (base.markerEnvironment() != null) {
            markers.putAll(base.markerEnvironment());
            // A probe's markers describe its interpreter and machine: those an explicit element changes go.
            if (newPython || given(explicit.pythonFullVersion())) {
                markers.keySet().removeAll(Set.of("python_version", "python_full_version"));
            }
            if (given(explicit.implementation())) {
                markers.keySet().removeAll(Set.of("implementation_name", "implementation_version",
                        "platform_python_implementation"));
            }
            if (nonEmpty(explicit.platforms())) {
                markers.keySet().removeAll(Set.of("platform_machine", "sys_platform", "platform_system",
                        "os_name"));
            }
        }
        if (explicit.markerEnvironment() != null) {
            markers.putAll(explicit.markerEnvironment());
        }
        return new Target.Spec(
                newPython ? explicit.pythonVersion() : base.pythonVersion(),
                // A full version only fits its own major.minor: a new pythonVersion drops the profile's.
                given(explicit.pythonFullVersion()) ? explicit.pythonFullVersion()
                        : newPython ? null : base.pythonFullVersion(),
                given(explicit.implementation()) ? explicit.implementation() : base.implementation(),
                nonEmpty(explicit.abis()) ? explicit.abis() : newPython ? List.of() : base.abis(),
                nonEmpty(explicit.platforms()) ? explicit.platforms() : base.platforms(),
                markers.isEmpty() ? null : markers);
    }

    private static boolean given(String s) {
        return s != null && !s.isBlank();
    }

    private static boolean nonEmpty(List<String> l) {
        return l != null && !l.isEmpty();
    }

    /** The platform tags for messages: the profile's, else the default's. */
    public String platformsForDisplay() {
        return platforms.isEmpty() ? "manylinux2014_x86_64 (default)" : String.join(", ", platforms);
    }
}

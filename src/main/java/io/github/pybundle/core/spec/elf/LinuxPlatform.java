package io.github.pybundle.core.spec.elf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Linux platform tag promises to native code: its architecture, its C library, and for manylinux the libraries
 * every such system provides and the highest symbol version of each versioned one, from the policy table
 * {@code linux-policies.json} beside this class (PEP 513, 571, 599, 600 and 656, as pypa/auditwheel records them).
 *
 * <ul>
 *   <li>{@code manylinux_X_Y_arch} and its legacy names ({@code manylinux1} = 2.5, {@code manylinux2010} = 2.12,
 *       {@code manylinux2014} = 2.17): glibc X.Y, so {@code GLIBC_} versions up to X.Y; the other limits
 *       ({@code GLIBCXX_}, {@code CXXABI_}, {@code GCC_}...) are those of the policy for glibc X.Y, or of the newest
 *       policy below it when there is none for X.Y;</li>
 *   <li>{@code musllinux_X_Y_arch}: musl, so no glibc at all;</li>
 *   <li>{@code linux_arch}: only the architecture is known.</li>
 * </ul>
 *
 * @see <a href="https://peps.python.org/pep-0600/">PEP 600</a>
 * @see <a href="https://peps.python.org/pep-0656/">PEP 656</a>
 */
public final class LinuxPlatform {
    /** The C library a platform has. */
    public enum Libc {
        /** GNU libc: manylinux. */
        GLIBC,
        /** musl: musllinux. */
        MUSL,
        /** Not known: {@code linux_*}. */
        UNKNOWN
    }

    private static final Pattern LEGACY = Pattern.compile("(manylinux1|manylinux2010|manylinux2014)_(.+)");
    private static final Pattern MANYLINUX = Pattern.compile("manylinux_(\\d+)_(\\d+)_(.+)");
    private static final Pattern MUSLLINUX = Pattern.compile("musllinux_(\\d+)_(\\d+)_(.+)");
    private static final Pattern NUMERIC = Pattern.compile("\\d{1,9}(\\.\\d{1,9}){0,5}");
    private static final Map<String, String> LEGACY_GLIBC = Map.of("manylinux1", "2.5", "manylinux2010", "2.12",
            "manylinux2014", "2.17");

    private final String tag;
    private final String architecture;
    private final Libc libc;
    private final String libcVersion;
    private final String policyName;
    private final Map<String, String> limits;
    private final Set<String> named;
    private final Set<String> libraries;
    private final List<Pattern> libraryPatterns;

    private LinuxPlatform(String tag, String architecture, Libc libc, String libcVersion, String policyName,
                          Map<String, String> limits, Set<String> named, Set<String> libraries,
                          List<Pattern> libraryPatterns) {
        this.tag = tag;
        this.architecture = architecture;
        this.libc = libc;
        this.libcVersion = libcVersion;
        this.policyName = policyName;
        this.limits = limits;
        this.named = named;
        this.libraries = libraries;
        this.libraryPatterns = libraryPatterns;
    }

    /** The platform a Linux tag names, or null for another operating system's tag. */
    public static LinuxPlatform of(String tag) {
        Matcher m = LEGACY.matcher(tag);
        if (m.matches()) {
            return manylinux(tag, LEGACY_GLIBC.get(m.group(1)), m.group(2), m.group(1));
        }
        m = MANYLINUX.matcher(tag);
        if (m.matches()) {
            String glibc = Integer.parseInt(m.group(1)) + "." + Integer.parseInt(m.group(2));
            return manylinux(tag, glibc, m.group(3), "manylinux_" + m.group(1) + "_" + m.group(2));
        }
        m = MUSLLINUX.matcher(tag);
        if (m.matches()) {
            JsonNode musl = Table.JSON.path("musllinux");
            List<Pattern> patterns = new ArrayList<>();
            musl.path("patterns").forEach(p -> patterns.add(glob(p.asText())));
            return new LinuxPlatform(tag, m.group(3), Libc.MUSL, m.group(1) + "." + m.group(2), "musllinux_"
                    + m.group(1) + "_" + m.group(2), Map.of(), Set.of(), strings(musl.path("libraries")), patterns);
        }
        if (tag.startsWith("linux_") && tag.length() > "linux_".length()) {
            return new LinuxPlatform(tag, tag.substring("linux_".length()), Libc.UNKNOWN, null, "linux", Map.of(),
                    Set.of(), Set.of(), List.of());
        }
        return null;
    }

    /**
     * The platform the native code of a target with these platform tags is checked against, or null when none is a
     * Linux tag. A wheel chosen for any of the target's platforms must run on every node, so of the platforms of the
     * first tag's C library (manylinux before musllinux before {@code linux_*}, when several are named) and
     * architecture, the least capable one is taken: the lowest glibc (or musl) version; the first of equals.
     */
    public static LinuxPlatform forTarget(List<String> tags) {
        List<LinuxPlatform> linux = tags.stream().map(LinuxPlatform::of).filter(p -> p != null).toList();
        if (linux.isEmpty()) {
            return null;
        }
        LinuxPlatform first = linux.stream().filter(p -> p.libc == Libc.GLIBC).findFirst()
                .or(() -> linux.stream().filter(p -> p.libc == Libc.MUSL).findFirst()).orElse(linux.get(0));
        return linux.stream().filter(p -> p.libc == first.libc && p.architecture.equals(first.architecture))
                .min(Comparator.comparing(p -> p.libcVersion == null ? "" : p.libcVersion,
                        LinuxPlatform::compareVersions)).orElse(first);
    }

    private static LinuxPlatform manylinux(String tag, String glibc, String arch, String policyName) {
        JsonNode ml = Table.JSON.path("manylinux");
        JsonNode policy = null;
        for (JsonNode p : ml.path("policies")) { // sorted by glibc: the newest at or below the tag's glibc
            if (policy == null || compareVersions(p.path("glibc").asText(), glibc) <= 0) {
                policy = p;
            }
        }
        Map<String, String> limits = new LinkedHashMap<>();
        policy.path("max").fields().forEachRemaining(e -> limits.put(e.getKey(), e.getValue().isNull() ? null
                : e.getValue().asText()));
        JsonNode specific = policy.path("arch").path(arch);
        specific.path("max").fields().forEachRemaining(e -> limits.put(e.getKey(), e.getValue().isNull() ? null
                : e.getValue().asText()));
        Set<String> named = strings(specific.has("named") ? specific.path("named") : policy.path("named"));
        // PEP 600: glibc X.Y provides every GLIBC_ version up to X.Y (some architectures had a little more).
        String glibcMax = limits.get("GLIBC");
        if (glibcMax == null || compareVersions(glibcMax, glibc) < 0) {
            limits.put("GLIBC", glibc);
        }
        Set<String> libraries = new LinkedHashSet<>();
        for (String lib : strings(ml.path("libraries"))) {
            JsonNode since = ml.path("librariesSince").path(lib);
            if (since.isMissingNode() || compareVersions(since.asText(), glibc) <= 0) {
                libraries.add(lib);
            }
        }
        JsonNode loader = ml.path("loaders").path(arch);
        if (!loader.isMissingNode()) {
            libraries.add(loader.asText());
        }
        String name = policyName.startsWith("manylinux_") && policy.has("alias")
                && policy.path("glibc").asText().equals(glibc) ? policy.path("alias").asText() : policyName;
        // A null limit means "no version of this prefix": kept in a read-only LinkedHashMap (Map.copyOf refuses nulls).
        return new LinuxPlatform(tag, arch, Libc.GLIBC, glibc, name, Collections.unmodifiableMap(limits), named,
                Set.copyOf(libraries), List.of());
    }

    /** The tag as the target names it, e.g. {@code manylinux2014_x86_64}. */
    public String tag() {
        return tag;
    }

    /** The architecture, e.g. {@code x86_64}. */
    public String architecture() {
        return architecture;
    }

    /** The C library. */
    public Libc libc() {
        return libc;
    }

    /** The glibc version of a manylinux platform ({@code 2.17}), the musl version of a musllinux one, or null. */
    public String libcVersion() {
        return libcVersion;
    }

    /** The policy's name for messages: {@code manylinux2014}, {@code manylinux_2_28}, {@code musllinux_1_2}. */
    public String policyName() {
        return policyName;
    }

    /**
     * The highest version of each limited prefix, e.g. {@code GLIBCXX} → {@code 3.4.19}; a null value means that no
     * version of the prefix is provided.
     */
    public Map<String, String> limits() {
        return limits;
    }

    /** Whether every system of this platform provides a library of this name ({@code DT_NEEDED}). */
    public boolean providesLibrary(String name) {
        return libraries.contains(name) || libraryPatterns.stream().anyMatch(p -> p.matcher(name).matches());
    }

    /**
     * Why a symbol version needed from a system library is not provided, e.g. {@code GLIBC_2.28 is newer than
     * GLIBC_2.17}, or null when it is (or when this platform does not limit its prefix).
     */
    public String versionProblem(String version) {
        if (libc == Libc.MUSL && version.startsWith("GLIBC_")) {
            return version + " is a glibc version; " + policyName + " systems have musl";
        }
        int sep = version.indexOf('_');
        if (sep <= 0 || !limits.containsKey(version.substring(0, sep))) {
            return null;
        }
        String prefix = version.substring(0, sep);
        String rest = version.substring(sep + 1);
        String max = limits.get(prefix);
        if (NUMERIC.matcher(rest).matches()) {
            if (max == null) {
                return version + ": " + policyName + " provides no " + prefix + "_ version";
            }
            return compareVersions(rest, max) <= 0 ? null : version + " is newer than " + prefix + "_" + max;
        }
        return named.contains(version) ? null : version + " is not among the " + prefix + "_ versions "
                + policyName + " provides";
    }

    /**
     * The platform and what it provides, for messages: {@code manylinux2014_x86_64 (glibc 2.17; GLIBCXX_3.4.19,
     * CXXABI_1.3.7, GCC_4.8.0 at most)}.
     */
    public String describe() {
        return switch (libc) {
            case MUSL -> tag + " (musl libc, no glibc)";
            case UNKNOWN -> tag;
            case GLIBC -> tag + " (glibc " + libcVersion + "; " + String.join(", ", limits.entrySet().stream()
                    .filter(e -> e.getValue() != null && List.of("GLIBCXX", "CXXABI", "GCC").contains(e.getKey()))
                    .map(e -> e.getKey() + "_" + e.getValue()).toList()) + " at most)";
        };
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Compares dotted numeric versions ({@code 2.2.5} before {@code 2.17}); a missing part counts as 0. */
    public static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? parse(x[i]) : 0;
            long q = i < y.length ? parse(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    /** Whether a version's part after the prefix is numeric ({@code 2.17} in {@code GLIBC_2.17}). */
    public static boolean isNumeric(String version) {
        return NUMERIC.matcher(version).matches();
    }

    private static long parse(String part) {
        try {
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Pattern glob(String glob) {
        StringBuilder sb = new StringBuilder();
        for (String piece : glob.split("\\*", -1)) {
            if (sb.length() > 0) {
                sb.append("[^/]+");
            }
            sb.append(Pattern.quote(piece));
        }
        return Pattern.compile(sb.toString());
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return Set.copyOf(out);
    }

    // The table, read once.
    private static final class Table {
        static final JsonNode JSON = load();

        private static JsonNode load() {
            try (InputStream in = LinuxPlatform.class.getResourceAsStream("linux-policies.json")) {
                if (in == null) {
                    throw new IllegalStateException("linux-policies.json is missing from pybundle's jar");
                }
                return new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

package io.github.pybundle.core.requirements;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.spec.pep440.Specifier;
import io.github.pybundle.core.spec.pep508.MarkerEnvironment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * pip's hash-checking mode: on when any requirement or constraint carries {@code --hash}, or when asked for
 * ({@code --require-hashes} in a requirements file, {@code <requireHashes>} in the pom). Then every top-level
 * requirement of the pom and the requirements files must be pinned with {@code ==} (or {@code ===}) and have hashes,
 * and every file installed, dependencies included, must match the hashes declared for its package.
 *
 * <p>A package's hashes come from every requirement and constraint that names it with {@code --hash} (and whose
 * marker applies to the target): a file must match one hash of each of them (one declaration's hashes are
 * alternatives; several declarations narrow each other, as pip intersects them).
 *
 * @see <a href="https://pip.pypa.io/en/stable/topics/secure-installs/">pip: Secure installs</a>
 */
public final class HashPolicy {
    /** The accepted algorithms (pip's strong hashes) and the hex length of their digests. */
    public static final Map<String, Integer> ALGORITHMS = Map.of("sha256", 64, "sha384", 96, "sha512", 128);

    /** How a file's digests compare with a package's hashes. */
    public enum Verdict {
        /** The file matches every declaration that has hashes for the package. */
        MATCH,
        /** The file's digest in a declared algorithm is not among the allowed ones. */
        MISMATCH,
        /** The digests known do not include a declared algorithm: the file must be hashed to tell. */
        UNKNOWN
    }

    private static final HashPolicy OFF = new HashPolicy(null, List.of(), List.of());

    private final String trigger;
    private final List<DeclaredRequirement> roots;
    private final List<DeclaredRequirement> rules;

    private HashPolicy(String trigger, List<DeclaredRequirement> roots, List<DeclaredRequirement> rules) {
        this.trigger = trigger;
        this.roots = List.copyOf(roots);
        this.rules = List.copyOf(rules);
    }

    /** Hash-checking mode off. */
    public static HashPolicy off() {
        return OFF;
    }

    /**
     * The policy of a set of declarations.
     *
     * @param explicit why hash-checking was asked for (e.g. {@code --require-hashes (requirements.txt:1)}), or null
     * @param roots the top-level requirements that must be pinned and hashed (the pom's and the requirements files')
     * @param others every other requirement and constraint, whose hashes count too
     */
    public static HashPolicy of(String explicit, List<DeclaredRequirement> roots, List<DeclaredRequirement> others) {
        List<DeclaredRequirement> rules = new ArrayList<>();
        roots.stream().filter(d -> !d.hashes().isEmpty()).forEach(rules::add);
        others.stream().filter(d -> !d.hashes().isEmpty()).forEach(rules::add);
        String trigger = explicit != null ? explicit : rules.isEmpty() ? null
                : "--hash in " + rules.get(0).source();
        return trigger == null ? OFF : new HashPolicy(trigger, roots, rules);
    }

    /** Whether hash-checking mode is on. */
    public boolean enabled() {
        return trigger != null;
    }

    /** Why hash-checking mode is on, e.g. {@code --hash in requirements.txt:3}; null when it is off. */
    public String trigger() {
        return trigger;
    }

    /**
     * This policy for one target: declarations whose marker does not apply there are left out, as pip ignores such
     * requirements altogether.
     */
    public HashPolicy forTarget(MarkerEnvironment markers) {
        if (!enabled()) {
            return this;
        }
        return new HashPolicy(trigger, roots.stream().filter(d -> applies(d, markers)).toList(),
                rules.stream().filter(d -> applies(d, markers)).toList());
    }

    private static boolean applies(DeclaredRequirement d, MarkerEnvironment markers) {
        try {
            return d.requirement().marker() == null || d.requirement().marker().evaluate(markers, "");
        } catch (PyBundleException e) {
            return true; // the resolver reports the marker; here the declaration is kept, the stricter choice
        }
    }

    /**
     * Checks pip's rules for top-level requirements: each has hashes (its own, or a constraint's for its package)
     * and is pinned with {@code ==} or {@code ===}. Packages the cluster provides are never installed and are exempt.
     *
     * @param provided normalised names of the packages the cluster provides
     * @throws HashesRequiredException listing every requirement that breaks a rule
     */
    public void validate(Set<String> provided) {
        if (!enabled()) {
            return;
        }
        List<String> unhashed = new ArrayList<>();
        List<String> unpinned = new ArrayList<>();
        for (DeclaredRequirement d : roots) {
            String name = d.requirement().normalizedName();
            if (provided.contains(name)) {
                continue;
            }
            if (!covers(name)) {
                unhashed.add(d.toString());
            }
            if (d.requirement().url() == null && !pinned(d)) {
                unpinned.add(d.toString());
            }
        }
        if (unhashed.isEmpty() && unpinned.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        List<String> hints = new ArrayList<>();
        if (!unhashed.isEmpty()) {
            sb.append("Hashes are required in hash-checking mode (on because of ").append(trigger)
                    .append("), but they are missing from some requirements:");
            unhashed.forEach(u -> sb.append("\n  ").append(u));
            hints.add("add --hash=sha256:<digest> after each (pip hash FILE prints it), or give the hashes in a"
                    + " constraints file");
        }
        if (!unpinned.isEmpty()) {
            sb.append(sb.length() == 0 ? "" : "\n").append("In hash-checking mode (on because of ").append(trigger)
                    .append(") every requirement must be pinned with == (or ===); these are not:");
            unpinned.forEach(u -> sb.append("\n  ").append(u));
            hints.add("pin the exact version, e.g. name==1.2.3, and give the hashes of its file");
        }
        throw new HashesRequiredException(sb.toString(), hints);
    }

    private static boolean pinned(DeclaredRequirement d) {
        List<Specifier> specs = d.requirement().specifier().specifiers();
        return specs.size() == 1 && (specs.get(0).operator() == Specifier.Operator.ARBITRARY
                || specs.get(0).operator() == Specifier.Operator.EQUAL && !specs.get(0).version().endsWith(".*"));
    }

    /** Whether some declaration gives hashes for the package (normalised name). */
    public boolean covers(String name) {
        return !rules(name).isEmpty();
    }

    /** The declarations with hashes for the package (normalised name). */
    public List<DeclaredRequirement> rules(String name) {
        return rules.stream().filter(d -> d.requirement().normalizedName().equals(name)).toList();
    }

    /** The algorithms the package's hashes use, e.g. {@code [sha256]}. */
    public Set<String> algorithms(String name) {
        Set<String> out = new TreeSet<>();
        rules(name).forEach(d -> d.hashes().forEach(h -> out.add(algorithm(h))));
        return out;
    }

    /**
     * Compares a file's digests with the package's hashes.
     *
     * @param digests algorithm → hex digest, as far as known (the index's, or computed)
     */
    public Verdict check(String name, Map<String, String> digests) {
        Verdict verdict = Verdict.MATCH;
        for (DeclaredRequirement d : rules(name)) {
            boolean known = false;
            boolean matched = false;
            for (String h : d.hashes()) {
                String actual = digests.get(algorithm(h));
                if (actual != null) {
                    known = true;
                    matched |= actual.toLowerCase(Locale.ROOT).equals(digest(h));
                }
            }
            if (known && !matched) {
                return Verdict.MISMATCH;
            }
            if (!known) {
                verdict = Verdict.UNKNOWN;
            }
        }
        return verdict;
    }

    /** The package's declarations with hashes, for messages: {@code requests==2.31.0 (requirements.txt:3)}. */
    public String describe(String name) {
        return String.join("; ", rules(name).stream().map(DeclaredRequirement::toString).toList());
    }

    /** The package's allowed hashes, for messages: {@code sha256:..., sha256:...}. */
    public String allowed(String name) {
        Set<String> out = new LinkedHashSet<>();
        rules(name).forEach(d -> out.addAll(d.hashes()));
        return String.join(", ", out);
    }

    /**
     * How a file compares, for messages: its digests in the algorithms the package's hashes use, e.g.
     * {@code requests-2.31.0-py3-none-any.whl has sha256:abc...}.
     */
    public String describeFile(String name, String filename, Map<String, String> digests) {
        List<String> shown = new ArrayList<>();
        for (String a : algorithms(name)) {
            if (digests.containsKey(a)) {
                shown.add(a + ":" + digests.get(a).toLowerCase(Locale.ROOT));
            }
        }
        return filename + " has " + (shown.isEmpty() ? "no digest in " + algorithms(name) : String.join(", ", shown));
    }

    /**
     * The message for a package none of whose files matches its hashes: {@code requests==2.31.0
     * (requirements.txt:3): no file matches the allowed hashes: requests-2.31.0-py3-none-any.whl has sha256:abc...,
     * allowed sha256:def...}.
     *
     * @param files {@link #describeFile} of the files that were compared
     */
    public String mismatch(String name, List<String> files) {
        return describe(name) + ": no file matches the allowed hashes: " + String.join("; ", files) + ", allowed "
                + allowed(name);
    }

    /** What a lock records of the hashes, so that editing one makes the lock out of date: {@code name sha256:...}. */
    public List<String> inputs() {
        Set<String> out = new TreeSet<>();
        rules.forEach(d -> d.hashes().forEach(h -> out.add(d.requirement().normalizedName() + " " + h)));
        return List.copyOf(out);
    }

    /** {@code sha256} of {@code sha256:abc}. */
    public static String algorithm(String hash) {
        return hash.substring(0, hash.indexOf(':'));
    }

    /** {@code abc} of {@code sha256:abc}. */
    public static String digest(String hash) {
        return hash.substring(hash.indexOf(':') + 1);
    }

    /** The digests of a local file in the given algorithms (hex, lower case). */
    public static Map<String, String> digests(java.nio.file.Path file, Set<String> algorithms)
            throws java.io.IOException {
        Map<String, java.security.MessageDigest> md = new LinkedHashMap<>();
        for (String a : algorithms) {
            try {
                md.put(a, java.security.MessageDigest.getInstance(a.toUpperCase(Locale.ROOT).replace("SHA", "SHA-")));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] buf = new byte[256 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                for (java.security.MessageDigest m : md.values()) {
                    m.update(buf, 0, n);
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        md.forEach((a, m) -> out.put(a, java.util.HexFormat.of().formatHex(m.digest())));
        return out;
    }
}

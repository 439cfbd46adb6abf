package io.github.pybundle.core.spec.tags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ordered list of tags a target interpreter accepts, most preferred first: a pure function of the target
 * (implementation, Python version, ABIs, platforms), never of the build host. The order is the reference
 * implementation's ({@code cpython_tags} or {@code generic_tags}, then {@code compatible_tags}), so that of several
 * wheels for one version the most specific wins.
 */
public final class TargetTags {
    private final List<Tag> tags;
    private final Map<Tag, Integer> rank = new HashMap<>();

    private TargetTags(List<Tag> tags) {
        this.tags = List.copyOf(tags);
        for (int i = 0; i < this.tags.size(); i++) {
            rank.putIfAbsent(this.tags.get(i), i);
        }
    }

    /**
     * Computes the tags of a target.
     *
     * @param implementation the interpreter's short name: {@code cp} for CPython, {@code pp} for PyPy, ...
     * @param major the Python major version
     * @param minor the Python minor version
     * @param abis the ABIs, or null for the implementation's default (see {@link #defaultAbis})
     * @param platforms the platforms as the user names them; each is expanded with {@link PlatformTags#expand}
     */
    public static TargetTags of(String implementation, int major, int minor, List<String> abis,
                                List<String> platforms) {
        Set<String> expanded = new LinkedHashSet<>();
        platforms.forEach(p -> expanded.addAll(PlatformTags.expand(p)));
        List<String> plats = new ArrayList<>(expanded);
        List<String> abiList = abis != null ? abis : defaultAbis(implementation, major, minor, platforms);
        String interpreter = implementation + major + minor;
        List<Tag> out = new ArrayList<>();
        if (implementation.equals("cp")) {
            cpython(out, major, minor, abiList, plats);
        } else {
            generic(out, interpreter, abiList, plats);
        }
        compatible(out, major, minor, interpreter, plats);
        return new TargetTags(out);
    }

    /**
     * The ABIs of a release build of the implementation: {@code cp38} for CPython 3.8+, {@code cp37m} for 3.3 to 3.7
     * (pymalloc), {@code cp27mu} for 2.7 on Linux (UCS-4 builds) and {@code cp27m} elsewhere; none for other
     * implementations, whose ABI names carry their own version (give them explicitly).
     */
    public static List<String> defaultAbis(String implementation, int major, int minor, List<String> platforms) {
        if (!implementation.equals("cp")) {
            return List.of();
        }
        String v = "cp" + major + minor;
        if (major > 3 || major == 3 && minor >= 8) {
            return List.of(v);
        }
        if (major == 3 && minor >= 3) {
            return List.of(v + "m");
        }
        boolean linux = platforms.stream().anyMatch(p -> PlatformTags.linuxArchitecture(p) != null);
        return List.of(v + (linux ? "mu" : "m"));
    }

    private static void cpython(List<Tag> out, int major, int minor, List<String> abis, List<String> plats) {
        String interpreter = "cp" + major + minor;
        List<String> specific = new ArrayList<>(abis);
        specific.remove("abi3");
        specific.remove("none");
        for (String abi : specific) {
            plats.forEach(p -> out.add(new Tag(interpreter, abi, p)));
        }
        // Free-threaded builds (an ABI such as cp313t) cannot load stable-ABI wheels.
        boolean threaded = !abis.isEmpty() && abis.get(0).matches("cp\\d+.*") && abis.get(0)
                .replaceFirst("^cp\\d+", "").contains("t");
        boolean abi3 = (major > 3 || major == 3 && minor >= 2) && !threaded;
        if (abi3) {
            plats.forEach(p -> out.add(new Tag(interpreter, "abi3", p)));
        }
        plats.forEach(p -> out.add(new Tag(interpreter, "none", p)));
        if (abi3) {
            // The stable ABI is forward compatible: cp35-abi3 wheels load on 3.8.
            for (int m = minor - 1; m > 1; m--) {
                String older = "cp" + major + m;
                plats.forEach(p -> out.add(new Tag(older, "abi3", p)));
            }
        }
    }

    private static void generic(List<Tag> out, String interpreter, List<String> abis, List<String> plats) {
        List<String> all = new ArrayList<>(abis);
        if (!all.contains("none")) {
            all.add("none");
        }
        for (String abi : all) {
            plats.forEach(p -> out.add(new Tag(interpreter, abi, p)));
        }
    }

    // Pure-Python tags: pyXY then pyX then older pyXZ, for each platform; then <interp>-none-any and py*-none-any.
    private static void compatible(List<Tag> out, int major, int minor, String interpreter, List<String> plats) {
        List<String> pys = new ArrayList<>();
        pys.add("py" + major + minor);
        pys.add("py" + major);
        for (int m = minor - 1; m >= 0; m--) {
            pys.add("py" + major + m);
        }
        for (String py : pys) {
            plats.forEach(p -> out.add(new Tag(py, "none", p)));
        }
        out.add(new Tag(interpreter, "none", "any"));
        for (String py : pys) {
            out.add(new Tag(py, "none", "any"));
        }
    }

    /** The tags, most preferred first. */
    public List<Tag> tags() {
        return tags;
    }

    /** The rank of the best of {@code candidates} (lower is better), or empty when none is accepted. */
    public Optional<Integer> bestRank(Set<Tag> candidates) {
        return candidates.stream().map(rank::get).filter(r -> r != null).min(Integer::compare);
    }

    /** Whether any of {@code candidates} is accepted. */
    public boolean accepts(Set<Tag> candidates) {
        return bestRank(candidates).isPresent();
    }
}

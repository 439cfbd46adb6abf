package io.github.pybundle.core.spec.pep440;

import io.github.pybundle.core.spec.text.PyText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A comma-separated set of specifiers that must all hold, e.g. {@code >=1.2,<2,!=1.5.1}; empty means any version.
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/version-specifiers/">Version specifiers</a>
 */
public final class SpecifierSet {
    private static final SpecifierSet EMPTY = new SpecifierSet(List.of());

    private final List<Specifier> specifiers; // distinct, in the order first written

    private SpecifierSet(List<Specifier> specifiers) {
        this.specifiers = List.copyOf(specifiers);
    }

    /** The set that admits every version. */
    public static SpecifierSet any() {
        return EMPTY;
    }

    /**
     * Parses a comma-separated list; empty items are ignored, as the reference implementation does.
     *
     * @throws InvalidSpecifierException when one item is not a specifier
     */
    public static SpecifierSet parse(String text) {
        Map<Specifier, Boolean> distinct = new LinkedHashMap<>();
        for (String item : text.split(",", -1)) {
            if (!PyText.strip(item).isEmpty()) {
                distinct.putIfAbsent(Specifier.parse(item), Boolean.TRUE);
            }
        }
        return distinct.isEmpty() ? EMPTY : new SpecifierSet(new ArrayList<>(distinct.keySet()));
    }

    /** The specifiers, without duplicates. */
    public List<Specifier> specifiers() {
        return specifiers;
    }

    /** Whether the set has no specifier (admits any version). */
    public boolean isEmpty() {
        return specifiers.isEmpty();
    }

    /** This set and {@code other} together. */
    public SpecifierSet and(SpecifierSet other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Map<Specifier, Boolean> distinct = new LinkedHashMap<>();
        specifiers.forEach(s -> distinct.putIfAbsent(s, Boolean.TRUE));
        other.specifiers.forEach(s -> distinct.putIfAbsent(s, Boolean.TRUE));
        return new SpecifierSet(new ArrayList<>(distinct.keySet()));
    }

    /** Whether any specifier names a pre-release with an inclusive operator (then pre-releases are admitted). */
    public boolean admitsPrereleases() {
        return specifiers.stream().anyMatch(Specifier::admitsPrereleases);
    }

    /**
     * Whether {@code candidate} satisfies every specifier. Pre-releases are rejected unless {@code prereleases} is
     * true, or it is null and a specifier names a pre-release.
     */
    public boolean contains(Version candidate, Boolean prereleases) {
        boolean allow = prereleases != null ? prereleases : admitsPrereleases();
        if (candidate.isPrerelease() && !allow) {
            return false;
        }
        for (Specifier s : specifiers) {
            if (!s.contains(candidate, allow)) {
                return false;
            }
        }
        return true;
    }

    /** {@link #contains(Version, Boolean)} with the default pre-release policy. */
    public boolean contains(Version candidate) {
        return contains(candidate, null);
    }

    /**
     * The versions that satisfy the set, in the given order, as the reference implementation's {@code filter}: with
     * {@code prereleases} null, pre-releases are kept when a specifier names one; an empty set keeps them only when
     * there is nothing else.
     *
     * <p>The specification also says a pre-release should be accepted when nothing else satisfies a non-empty set;
     * the reference's {@code SpecifierSet.filter} does not do that, so neither does this method. The resolver
     * applies that rule itself, per package.
     */
    public List<Version> filter(List<Version> candidates, Boolean prereleases) {
        Boolean allow = prereleases != null ? prereleases : (isEmpty() ? null : admitsPrereleases());
        if (!isEmpty()) {
            boolean a = Boolean.TRUE.equals(allow);
            return candidates.stream().filter(v -> contains(v, a)).collect(Collectors.toList());
        }
        List<Version> finals = new ArrayList<>();
        List<Version> pres = new ArrayList<>();
        for (Version v : candidates) {
            if (v.isPrerelease() && !Boolean.TRUE.equals(allow)) {
                if (finals.isEmpty()) {
                    pres.add(v);
                }
            } else {
                finals.add(v);
            }
        }
        return finals.isEmpty() && !pres.isEmpty() && allow == null ? pres : finals;
    }

    /**
     * The candidates PEP 440's pre-release policy admits, in the given order: pre-releases are excluded unless the
     * user allows them ({@code allowPrereleases}), a specifier names one, or no final release satisfies the set, in
     * which case the satisfying pre-releases are returned. This is the rule the resolver applies per package.
     */
    public List<Version> admissible(List<Version> candidates, boolean allowPrereleases) {
        if (allowPrereleases || admitsPrereleases()) {
            return candidates.stream().filter(v -> contains(v, true)).collect(Collectors.toList());
        }
        List<Version> finals = candidates.stream().filter(v -> contains(v, false)).collect(Collectors.toList());
        return !finals.isEmpty() ? finals
                : candidates.stream().filter(v -> contains(v, true)).collect(Collectors.toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpecifierSet && ((SpecifierSet) o).specifiers.stream().collect(Collectors.toSet())
                .equals(specifiers.stream().collect(Collectors.toSet()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(specifiers.stream().collect(Collectors.toSet()));
    }

    /** The specifiers sorted and joined with commas, e.g. {@code <2,>=1.2}. */
    @Override
    public String toString() {
        return specifiers.stream().map(Specifier::toString).sorted().collect(Collectors.joining(","));
    }
}

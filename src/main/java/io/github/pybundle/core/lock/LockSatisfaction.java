package io.github.pybundle.core.lock;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.requirements.DeclaredRequirement;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.spec.pep508.MarkerEnvironment;
import io.github.pybundle.core.spec.pep508.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Whether a lock made for other requirements still fits the current ones, so that an edit the locked versions still
 * satisfy (loosening {@code requests>=2.31,<2.32} to {@code >=2.30,<2.32}) keeps the lock, as uv and pip-tools do.
 *
 * <p>Judged without the network, so only what the lock alone can answer: the target, the provided packages and the
 * declared hashes must be the same, and so must the set of projects asked for (names, extras, direct URLs, after
 * markers): a new name or extra may need packages the lock does not have, and a removed one may leave packages nothing
 * needs. Then each requirement's specifier must admit its locked version, and each constraint the version of the
 * package it names, if locked. Otherwise the lock is out of date, as before.
 */
final class LockSatisfaction {
    private LockSatisfaction() {
    }

    /**
     * The verdict.
     *
     * @param judged whether the change is one the lock alone can judge
     * @param misfits what no longer fits (empty: the lock still satisfies the requirements)
     */
    record Verdict(boolean judged, List<String> misfits) {
        boolean satisfied() {
            return judged && misfits.isEmpty();
        }
    }

    static Verdict check(Pylock lock, Map<String, List<String>> current, List<DeclaredRequirement> requirements,
                         List<DeclaredRequirement> constraints, MarkerEnvironment environment,
                         boolean allowPrereleases) {
        Map<String, List<String>> recorded = lock.inputs();
        for (String key : current.keySet()) {
            if (!key.equals("requirements") && !key.equals("constraints")
                    && !Objects.equals(recorded.getOrDefault(key, List.of()), current.get(key))) {
                return new Verdict(false, List.of());
            }
        }
        TreeSet<String> before = new TreeSet<>();
        try {
            for (String r : recorded.getOrDefault("requirements", List.of())) {
                shape(Requirement.parse(r), environment).ifPresent(before::add);
            }
        } catch (PyBundleException unreadable) {
            return new Verdict(false, List.of());
        }
        TreeSet<String> now = new TreeSet<>();
        requirements.forEach(d -> shape(d.requirement(), environment).ifPresent(now::add));
        if (!before.equals(now)) {
            return new Verdict(false, List.of());
        }
        List<String> misfits = new ArrayList<>();
        for (DeclaredRequirement d : requirements) {
            check(lock, d, environment, allowPrereleases, "requirement", misfits);
        }
        for (DeclaredRequirement d : constraints) {
            check(lock, d, environment, allowPrereleases, "constraint", misfits);
        }
        return new Verdict(true, misfits);
    }

    private static void check(Pylock lock, DeclaredRequirement d, MarkerEnvironment environment,
                              boolean allowPrereleases, String kind, List<String> misfits) {
        Requirement r = d.requirement();
        if (!r.appliesTo(environment, null) || r.url() != null) {
            return;
        }
        LockedPackage p = lock.packages().stream().filter(x -> x.name().equals(r.normalizedName())).findFirst()
                .orElse(null);
        if (p == null) {
            return; // a constraint on a package nothing needs; a requirement's package is there (same shape)
        }
        if (!r.specifier().contains(Version.parse(p.version()), allowPrereleases ? Boolean.TRUE : null)) {
            misfits.add(p.name() + " " + p.version() + " (locked) does not satisfy the " + kind + " " + r
                    + (d.source() == null ? "" : " (" + d.source() + ")"));
        }
    }

    // What a requirement asks for, beyond its versions: the project, its extras, its direct URL; empty when its
    // marker leaves it out for this target.
    private static java.util.Optional<String> shape(Requirement r, MarkerEnvironment environment) {
        if (!r.appliesTo(environment, null)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(r.normalizedName() + r.normalizedExtras() + (r.url() == null ? "" : " @ "
                + r.url()));
    }
}

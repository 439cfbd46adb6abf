package io.github.pybundle.core.resolve;

import io.github.pybundle.core.spec.pep440.Specifier;
import io.github.pybundle.core.spec.pep440.SpecifierSet;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.spec.pep508.Marker;
import io.github.pybundle.core.spec.pep508.MarkerEnvironment;
import io.github.pybundle.core.spec.pep508.MarkerEvaluationException;
import io.github.pybundle.core.spec.pep508.Requirement;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Chooses one version of every required project so that all requirements hold on the target.
 *
 * <p>Newest versions are tried first; the most constrained project is decided next. When a project has no version
 * left, the search jumps back to the most recent decision that constrained it (conflict-directed backjumping),
 * rules that version out and continues. Extras are virtual projects ({@code name[extra]}) that depend on the base
 * project at the same version. A failure is explained with every requirement on the project in conflict, the chain
 * that led to each, and what the target can install.
 */
public final class Resolver {
    private static final int MAX_ROUNDS = 200_000;

    /** A requirement the user declared, with where. */
    public record Root(Requirement requirement, String source) {
    }

    /**
     * What to resolve.
     *
     * @param requirements what to install
     * @param constraints version limits on packages required anyway
     * @param provided packages the cluster has: normalised name → version (empty string: any version)
     * @param allowPrereleases admit pre-releases everywhere
     * @param markers the target's marker environment
     * @param targetDescription e.g. {@code cp38 / manylinux2014_x86_64}, for messages
     */
    public record Request(List<Root> requirements, List<Root> constraints, Map<String, String> provided,
                          boolean allowPrereleases, MarkerEnvironment markers, String targetDescription) {
    }

    private record Parent(String key, Version version, String source) {
        String describe() {
            return key == null ? source : key + " " + version;
        }
    }

    private record Constraint(Requirement requirement, SpecifierSet spec, Parent parent) {
    }

    private static final class State {
        final Map<String, List<Constraint>> criteria = new LinkedHashMap<>();
        final Map<String, Candidate> pins = new LinkedHashMap<>();
        final Map<String, Set<Version>> excluded = new HashMap<>();
        final Map<String, Set<String>> culprits = new HashMap<>();
        final Map<String, List<String>> reasons = new HashMap<>();

        State copy() {
            State s = new State();
            criteria.forEach((k, v) -> s.criteria.put(k, new ArrayList<>(v)));
            s.pins.putAll(pins);
            excluded.forEach((k, v) -> s.excluded.put(k, new LinkedHashSet<>(v)));
            culprits.forEach((k, v) -> s.culprits.put(k, new LinkedHashSet<>(v)));
            reasons.forEach((k, v) -> s.reasons.put(k, new ArrayList<>(v)));
            return s;
        }
    }

    private final ResolutionProvider provider;
    private final Map<String, ResolutionProvider.Versions> versions = new HashMap<>();
    private final Map<String, ResolutionProvider.Dependencies> dependencies = new HashMap<>();
    private Request request;
    private final Map<String, List<Constraint>> limits = new LinkedHashMap<>();

    public Resolver(ResolutionProvider provider) {
        this.provider = provider;
    }

    /**
     * Resolves.
     *
     * @throws ResolutionException when no set of versions satisfies everything; the message explains why
     */
    public Resolution resolve(Request req) throws IOException {
        this.request = req;
        State state = new State();
        for (Map.Entry<String, String> p : req.provided().entrySet()) {
            state.pins.put(p.getKey(), new Candidate(p.getKey(), p.getValue().isEmpty() ? null
                    : Version.parse(p.getValue()), null, false, true));
        }
        for (Root c : req.constraints()) {
            if (applies(c.requirement().marker(), "")) {
                limits.computeIfAbsent(c.requirement().normalizedName(), k -> new ArrayList<>())
                        .add(new Constraint(c.requirement(), c.requirement().specifier(), new Parent(null, null,
                                c.source())));
            }
        }
        for (Root r : req.requirements()) {
            if (r.requirement().url() != null) {
                throw new ResolutionException("'" + r.requirement() + "' (" + r.source() + ") names a direct URL,"
                        + " which the resolver does not support yet", List.of("publish the wheel to your index, or"
                        + " put it in a {@findLinks} directory and require it by name and version"));
            }
            if (applies(r.requirement().marker(), "")) {
                addConstraints(state, r.requirement(), new Parent(null, null, r.source()));
                Candidate provided = state.pins.get(r.requirement().normalizedName());
                if (provided != null && !satisfies(provided, r.requirement().specifier())) {
                    throw new ResolutionException(explain(state, r.requirement().normalizedName()),
                            hints(r.requirement().normalizedName()));
                }
            }
        }
        Deque<State> stack = new ArrayDeque<>();
        Deque<String> order = new ArrayDeque<>(); // keys in the order they were pinned (top = most recent)
        for (int round = 0; ; round++) {
            if (round > MAX_ROUNDS) {
                throw new ResolutionException("resolution gave up after " + MAX_ROUNDS + " steps without finding a"
                        + " consistent set of versions", List.of("narrow the requirements (e.g. pin the large"
                        + " packages) so that fewer combinations must be tried"));
            }
            String key = next(state);
            if (key == null) {
                return result(state);
            }
            if (!tryPin(state, key, stack, order)) {
                Set<String> blame = new LinkedHashSet<>(state.culprits.getOrDefault(key, Set.of()));
                state.criteria.getOrDefault(key, List.of()).stream().map(c -> c.parent().key())
                        .filter(k -> k != null).forEach(blame::add);
                String jumpTo = null;
                for (String k : order) { // most recent first
                    if (blame.contains(k) && !state.pins.get(k).provided()) {
                        jumpTo = k;
                        break;
                    }
                }
                if (jumpTo == null) {
                    throw new ResolutionException(explain(state, key), hints(key));
                }
                Candidate bad = state.pins.get(jumpTo);
                String why = conflictReason(state, key, jumpTo, bad);
                while (!order.isEmpty()) {
                    String undone = order.pop();
                    state = stack.pop();
                    if (undone.equals(jumpTo)) {
                        break;
                    }
                }
                blame.remove(jumpTo);
                exclude(state, jumpTo, bad.version(), why, blame);
            }
        }
    }

    // Decides key: the first admissible version whose dependencies agree with what is already decided.
    private boolean tryPin(State state, String key, Deque<State> stack, Deque<String> order) throws IOException {
        for (Candidate c : admissible(state, key)) {
            ResolutionProvider.Dependencies deps = dependenciesOf(key, c);
            if (deps.unusable() != null) {
                exclude(state, key, c.version(), c + ": " + deps.unusable(), Set.of());
                continue;
            }
            String conflict = null;
            String culprit = null;
            for (Requirement dep : deps.requirements()) {
                for (String depKey : keys(dep)) {
                    Candidate pinned = state.pins.get(depKey);
                    if (pinned != null && !satisfies(pinned, dep.specifier())) {
                        conflict = c + " requires " + dep + ", but " + pinned + (pinned.provided()
                                ? " is provided by the cluster" : " was chosen");
                        culprit = depKey;
                        break;
                    }
                }
                if (conflict != null) {
                    break;
                }
            }
            if (conflict != null) {
                exclude(state, key, c.version(), conflict, Set.of(culprit));
                continue;
            }
            stack.push(state.copy());
            order.push(key);
            state.pins.put(key, c);
            Parent parent = new Parent(key, c.version(), null);
            for (Requirement dep : deps.requirements()) {
                addConstraints(state, dep, parent);
            }
            return true;
        }
        return false;
    }

    private void exclude(State s, String key, Version v, String reason, Set<String> culprits) {
        s.excluded.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(v);
        s.reasons.computeIfAbsent(key, k -> new ArrayList<>()).add(reason);
        s.culprits.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(culprits);
    }

    private void addConstraints(State s, Requirement r, Parent parent) {
        for (String key : keys(r)) {
            s.criteria.computeIfAbsent(key, k -> new ArrayList<>()).add(new Constraint(r, r.specifier(), parent));
        }
    }

    /** {@code name} and one {@code name[extra]} per extra. */
    private static List<String> keys(Requirement r) {
        List<String> keys = new ArrayList<>();
        keys.add(r.normalizedName());
        r.normalizedExtras().forEach(e -> keys.add(r.normalizedName() + "[" + e + "]"));
        return keys;
    }

    private static String base(String key) {
        int b = key.indexOf('[');
        return b < 0 ? key : key.substring(0, b);
    }

    private static String extra(String key) {
        int b = key.indexOf('[');
        return b < 0 ? null : key.substring(b + 1, key.length() - 1);
    }

    private boolean satisfies(Candidate pinned, SpecifierSet spec) {
        return pinned.version() == null || spec.contains(pinned.version(), true);
    }

    // The unpinned key with the fewest admissible versions (ties: the first seen), or null when all are decided.
    private String next(State s) throws IOException {
        String best = null;
        int bestCount = Integer.MAX_VALUE;
        for (String key : s.criteria.keySet()) {
            if (s.pins.containsKey(key)) {
                continue;
            }
            Candidate providedBase = s.pins.get(base(key));
            if (extra(key) == null && providedBase != null) {
                continue;
            }
            int n = admissible(s, key).size();
            if (n < bestCount) {
                best = key;
                bestCount = n;
                if (n <= 1) {
                    break;
                }
            }
        }
        return best;
    }

    private SpecifierSet combined(State s, String key) {
        SpecifierSet spec = SpecifierSet.any();
        for (Constraint c : s.criteria.getOrDefault(key, List.of())) {
            spec = spec.and(c.spec());
        }
        for (Constraint c : limits.getOrDefault(base(key), List.of())) {
            spec = spec.and(c.spec());
        }
        return spec;
    }

    private List<Candidate> admissible(State s, String key) throws IOException {
        Candidate provided = s.pins.get(base(key));
        if (provided != null && provided.provided()) {
            return List.of(provided); // extras of a provided package: the cluster's version
        }
        ResolutionProvider.Versions vs = versionsOf(base(key));
        SpecifierSet spec = combined(s, key);
        Map<Version, Candidate> byVersion = new LinkedHashMap<>();
        vs.usable().forEach(c -> byVersion.putIfAbsent(c.version(), c));
        List<Version> allowed = spec.admissible(new ArrayList<>(byVersion.keySet()), request.allowPrereleases());
        Set<Version> excluded = s.excluded.getOrDefault(key, Set.of());
        List<Candidate> out = new ArrayList<>();
        for (Version v : allowed) {
            Candidate c = byVersion.get(v);
            if (!excluded.contains(v) && (!c.yanked() || pinnedExactly(spec, v))) {
                out.add(c);
            }
        }
        return out;
    }

    // PEP 592: a yanked release is used only when a requirement pins it with == or ===.
    private static boolean pinnedExactly(SpecifierSet spec, Version v) {
        return spec.specifiers().stream().anyMatch(x -> (x.operator() == Specifier.Operator.EQUAL
                && !x.version().endsWith(".*") || x.operator() == Specifier.Operator.ARBITRARY) && x.matches(v));
    }

    private ResolutionProvider.Versions versionsOf(String name) throws IOException {
        ResolutionProvider.Versions v = versions.get(name);
        if (v == null) {
            v = provider.versions(name);
            versions.put(name, v);
        }
        return v;
    }

    private ResolutionProvider.Dependencies dependenciesOf(String key, Candidate c) throws IOException {
        String cacheKey = key + "@" + c.version();
        ResolutionProvider.Dependencies d = dependencies.get(cacheKey);
        if (d != null) {
            return d;
        }
        if (c.provided()) {
            d = new ResolutionProvider.Dependencies(List.of(), null);
        } else {
            ResolutionProvider.Dependencies raw = provider.dependencies(new Candidate(base(key), c.version(),
                    c.file(), c.yanked(), false));
            if (raw.unusable() != null) {
                d = raw;
            } else {
                String extra = extra(key);
                List<Requirement> applicable = new ArrayList<>();
                if (extra != null) { // name[extra] is the base at the same version plus the extra's dependencies
                    applicable.add(Requirement.parse(base(key) + "==" + c.version()));
                }
                for (Requirement r : raw.requirements()) {
                    Marker m = r.marker();
                    boolean include = extra == null ? applies(m, "", c)
                            : m != null && m.mentionsExtra() && applies(m, extra, c);
                    if (include) {
                        applicable.add(r);
                    }
                }
                d = new ResolutionProvider.Dependencies(applicable, null);
            }
        }
        dependencies.put(cacheKey, d);
        return d;
    }

    private boolean applies(Marker m, String extra) {
        return applies(m, extra, null);
    }

    private boolean applies(Marker m, String extra, Candidate of) {
        try {
            return m == null || m.evaluate(request.markers(), extra);
        } catch (MarkerEvaluationException e) {
            throw new ResolutionException("the marker '" + m + "'" + (of == null ? "" : " of a dependency of " + of)
                    + " cannot be evaluated for the target: " + e.getMessage(), e.hints());
        }
    }

    private Resolution result(State s) {
        Map<String, Set<String>> extras = new LinkedHashMap<>();
        List<Resolution.Pin> pins = new ArrayList<>();
        List<Resolution.Pin> provided = new ArrayList<>();
        for (String key : s.pins.keySet()) {
            if (extra(key) != null) {
                extras.computeIfAbsent(base(key), k -> new TreeSet<>()).add(extra(key));
            }
        }
        for (Map.Entry<String, Candidate> e : s.pins.entrySet()) {
            String key = e.getKey();
            if (extra(key) != null) {
                continue;
            }
            List<Resolution.Reason> why = s.criteria.getOrDefault(key, List.of()).stream()
                    .map(c -> new Resolution.Reason(c.requirement().toString(), c.parent().key() == null ? null
                            : base(c.parent().key()), c.parent().version() == null ? null
                            : c.parent().version().toString(), c.parent().source())).distinct()
                    .collect(Collectors.toList());
            if (e.getValue().provided()) {
                if (!why.isEmpty()) {
                    provided.add(new Resolution.Pin(e.getValue(), Set.of(), why, List.of()));
                }
                continue;
            }
            List<Requirement> deps = new ArrayList<>(dependencies.get(key + "@" + e.getValue().version())
                    .requirements());
            for (String x : extras.getOrDefault(key, Set.of())) {
                dependencies.get(key + "[" + x + "]@" + e.getValue().version()).requirements().stream()
                        .filter(r -> !r.normalizedName().equals(key)).forEach(deps::add);
            }
            pins.add(new Resolution.Pin(e.getValue(), extras.getOrDefault(key, Set.of()), why, deps));
        }
        return new Resolution(pins, provided);
    }

    private String chain(State s, Parent p) {
        if (p.key() == null) {
            return p.source();
        }
        List<Constraint> cs = s.criteria.getOrDefault(p.key(), List.of());
        String up = cs.isEmpty() ? "" : " <- " + cs.get(0).requirement().toString() + " (" + chain(s, cs.get(0)
                .parent()) + ")";
        return p.describe() + up;
    }

    // "frame 2.0 requires num>=1.22, which conflicts with num<1.22  required by <requirements> entry 2"
    private String conflictReason(State s, String key, String jumpTo, Candidate bad) {
        List<String> mine = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (Constraint c : s.criteria.getOrDefault(key, List.of())) {
            if (jumpTo.equals(c.parent().key())) {
                mine.add(c.requirement().toString());
            } else {
                others.add(c.requirement() + "  required by " + chain(s, c.parent()));
            }
        }
        String head = bad + (mine.isEmpty() ? " leads to a conflict on " + base(key) : " requires "
                + String.join(", ", mine));
        if (others.isEmpty()) {
            return head + ", and no version of " + base(key) + " fits it for " + request.targetDescription();
        }
        return head + ", which conflicts with " + String.join("; ", others);
    }

    private String explain(State s, String key) {
        String name = base(key);
        StringBuilder sb = new StringBuilder("cannot find a version of " + name + " for " + request.targetDescription()
                + " that satisfies every requirement:");
        for (Constraint c : s.criteria.getOrDefault(key, List.of())) {
            sb.append("\n  - ").append(c.requirement()).append("  required by ").append(chain(s, c.parent()));
        }
        for (Constraint c : limits.getOrDefault(name, List.of())) {
            sb.append("\n  - ").append(c.requirement()).append("  constraint from ").append(c.parent().source());
        }
        Candidate provided = s.pins.get(name);
        if (provided != null && provided.provided()) {
            sb.append("\n  - ").append(provided).append(" is provided by the cluster ({@target.provided})");
            return sb.toString();
        }
        ResolutionProvider.Versions vs;
        try {
            vs = versionsOf(name);
        } catch (IOException e) {
            return sb.toString();
        }
        SpecifierSet spec = combined(s, key);
        if (vs.usable().isEmpty() && vs.rejected().isEmpty()) {
            sb.append("\n  no configured index or find-links location has a project named ").append(name);
            return sb.toString();
        }
        List<Version> usable = vs.usable().stream().map(Candidate::version).distinct().toList();
        List<Version> fitting = spec.admissible(usable, request.allowPrereleases());
        List<ResolutionProvider.Rejected> rejectedFitting = vs.rejected().stream()
                .filter(r -> spec.contains(r.version(), true)).toList();
        if (fitting.isEmpty() && !rejectedFitting.isEmpty()) {
            sb.append("\n  ").append(name).append(spec.isEmpty() ? "" : spec.toString()).append(" has no wheel for ")
                    .append(request.targetDescription()).append("; ").append(usable.isEmpty()
                            ? "no version has one" : "the newest version with one is " + usable.get(0));
            rejectedFitting.stream().limit(3).forEach(r -> sb.append("\n    ").append(name).append(' ')
                    .append(r.version()).append(": ").append(r.reason()));
        } else if (fitting.isEmpty()) {
            sb.append("\n  no version of ").append(name).append(" satisfies ").append(spec).append("; versions for ")
                    .append(request.targetDescription()).append(": ").append(usable.stream().limit(8)
                            .map(Version::toString).collect(Collectors.joining(", ")))
                    .append(usable.size() > 8 ? ", ..." : "");
        } else {
            sb.append("\n  every version that would fit was ruled out:");
            s.reasons.getOrDefault(key, List.of()).stream().limit(5).forEach(r -> sb.append("\n    ").append(r));
            int more = s.reasons.getOrDefault(key, List.of()).size() - 5;
            if (more > 0) {
                sb.append("\n    (").append(more).append(" more)");
            }
        }
        return sb.toString();
    }

    private static List<String> hints(String key) {
        return List.of("relax one of the requirements above, or add {@constraints} that steer " + base(key)
                + " to a version everything accepts");
    }
}

package io.github.pybundle.core.resolve;

import io.github.pybundle.core.resolve.Cause.Origin;
import io.github.pybundle.core.spec.pep440.Specifier;
import io.github.pybundle.core.spec.pep440.SpecifierSet;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.spec.pep508.Marker;
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
 * One resolution: the working state of a single {@link Resolver#resolve} call and the search over it.
 *
 * <p>Everything a call learns (the request's limits, the provider's answers, decisions and what was ruled out) lives
 * here and is dropped with it, so a {@link Resolver} can be reused. Failures leave as {@link ResolutionFailure}s;
 * nothing here writes prose.
 */
final class Search {
    static final int MAX_ROUNDS = 200_000;

    /** A requirement on a key and who made it. */
    private record Constraint(Requirement requirement, Origin parent) {
    }

    /** One key at one version: what the provider's dependency answers are cached by. */
    private record Decision(Key key, Version version) {
    }

    /** What backjumping restores: copied before each decision. */
    private static final class State {
        final Map<Key, List<Constraint>> criteria = new LinkedHashMap<>();
        final Map<Key, Candidate> pins = new LinkedHashMap<>();
        final Map<Key, Set<Version>> excluded = new HashMap<>();
        final Map<Key, Set<Key>> culprits = new HashMap<>();
        final Map<Key, List<Rejection>> rejections = new HashMap<>();

        State copy() {
            State s = new State();
            criteria.forEach((k, v) -> s.criteria.put(k, new ArrayList<>(v)));
            s.pins.putAll(pins);
            excluded.forEach((k, v) -> s.excluded.put(k, new LinkedHashSet<>(v)));
            culprits.forEach((k, v) -> s.culprits.put(k, new LinkedHashSet<>(v)));
            rejections.forEach((k, v) -> s.rejections.put(k, new ArrayList<>(v)));
            return s;
        }
    }

    private final ResolutionProvider provider;
    private final Resolver.Request request;
    private final Map<String, List<Constraint>> limits = new LinkedHashMap<>(); // by project name
    private final Map<String, ResolutionProvider.Versions> versions = new HashMap<>();
    private final Map<Decision, ResolutionProvider.Dependencies> dependencies = new HashMap<>();

    Search(ResolutionProvider provider, Resolver.Request request) {
        this.provider = provider;
        this.request = request;
    }

    Resolution run() throws IOException {
        State state = new State();
        for (Map.Entry<String, String> p : request.provided().entrySet()) {
            state.pins.put(Key.of(p.getKey()), new Candidate(p.getKey(), p.getValue().isEmpty() ? null
                    : Version.parse(p.getValue()), null, false, true));
        }
        for (Resolver.Root c : request.constraints()) {
            if (applies(c.requirement().marker(), "", null)) {
                limits.computeIfAbsent(c.requirement().normalizedName(), k -> new ArrayList<>())
                        .add(new Constraint(c.requirement(), Origin.declared(c.source())));
            }
        }
        for (Resolver.Root r : request.requirements()) {
            if (r.requirement().url() != null) {
                throw new ResolutionException(new ResolutionFailure.DirectUrl(r.requirement(), r.source()));
            }
            if (applies(r.requirement().marker(), "", null)) {
                addConstraints(state, r.requirement(), Origin.declared(r.source()));
                Key key = Key.of(r.requirement().normalizedName());
                Candidate provided = state.pins.get(key);
                if (provided != null && !satisfies(provided, r.requirement().specifier())) {
                    throw new ResolutionException(noVersion(state, key));
                }
            }
        }
        Deque<State> stack = new ArrayDeque<>();
        Deque<Key> order = new ArrayDeque<>(); // keys in the order they were pinned (top = most recent)
        for (int round = 0; ; round++) {
            if (round > MAX_ROUNDS) {
                throw new ResolutionException(new ResolutionFailure.TooManySteps(MAX_ROUNDS));
            }
            Key key = next(state);
            if (key == null) {
                return result(state);
            }
            if (!tryPin(state, key, stack, order)) {
                Set<Key> blame = new LinkedHashSet<>(state.culprits.getOrDefault(key, Set.of()));
                state.criteria.getOrDefault(key, List.of()).stream().map(c -> c.parent().key())
                        .filter(k -> k != null).forEach(blame::add);
                Key jumpTo = null;
                for (Key k : order) { // most recent first
                    if (blame.contains(k) && !state.pins.get(k).provided()) {
                        jumpTo = k;
                        break;
                    }
                }
                if (jumpTo == null) {
                    throw new ResolutionException(noVersion(state, key));
                }
                Candidate bad = state.pins.get(jumpTo);
                Rejection why = backjump(state, key, jumpTo, bad); // before unwinding: it cites later decisions
                while (!order.isEmpty()) {
                    Key undone = order.pop();
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
    private boolean tryPin(State state, Key key, Deque<State> stack, Deque<Key> order) throws IOException {
        for (Candidate c : admissible(state, key)) {
            ResolutionProvider.Dependencies deps = dependenciesOf(key, c);
            if (deps.unusable() != null) {
                exclude(state, key, c.version(), new Rejection.Unusable(c, deps.unusable()), Set.of());
                continue;
            }
            Rejection clash = null;
            Key culprit = null;
            clashes:
            for (Requirement dep : deps.requirements()) {
                for (Key depKey : Key.identify(dep)) {
                    Candidate pinned = state.pins.get(depKey);
                    if (pinned != null && !satisfies(pinned, dep.specifier())) {
                        clash = new Rejection.Clash(c, dep, pinned);
                        culprit = depKey;
                        break clashes;
                    }
                }
            }
            if (clash != null) {
                exclude(state, key, c.version(), clash, Set.of(culprit));
                continue;
            }
            stack.push(state.copy());
            order.push(key);
            state.pins.put(key, c);
            try {
                provider.pinned(c);
            } catch (RuntimeException e) {
                // only news for the provider (a download ahead): never a reason for the resolution to fail
            }
            Origin parent = Origin.chosen(key, c.version());
            for (Requirement dep : deps.requirements()) {
                addConstraints(state, dep, parent);
            }
            return true;
        }
        return false;
    }

    private static void exclude(State s, Key key, Version v, Rejection why, Set<Key> culprits) {
        s.excluded.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(v);
        s.rejections.computeIfAbsent(key, k -> new ArrayList<>()).add(why);
        s.culprits.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(culprits);
    }

    private static void addConstraints(State s, Requirement r, Origin parent) {
        for (Key key : Key.identify(r)) {
            s.criteria.computeIfAbsent(key, k -> new ArrayList<>()).add(new Constraint(r, parent));
        }
    }

    private static boolean satisfies(Candidate pinned, SpecifierSet spec) {
        return pinned.version() == null || spec.contains(pinned.version(), true);
    }

    // The unpinned key with the fewest admissible versions (ties: the first seen), or null when all are decided.
    private Key next(State s) throws IOException {
        Key best = null;
        int bestCount = Integer.MAX_VALUE;
        for (Key key : s.criteria.keySet()) {
            if (s.pins.containsKey(key)) { // decided, or provided by the cluster
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

    private SpecifierSet combined(State s, Key key) {
        SpecifierSet spec = SpecifierSet.any();
        for (Constraint c : s.criteria.getOrDefault(key, List.of())) {
            spec = spec.and(c.requirement().specifier());
        }
        for (Constraint c : limits.getOrDefault(key.name(), List.of())) {
            spec = spec.and(c.requirement().specifier());
        }
        return spec;
    }

    private List<Candidate> admissible(State s, Key key) throws IOException {
        Candidate provided = s.pins.get(key.base());
        if (provided != null && provided.provided()) {
            return List.of(provided); // extras of a provided package: the cluster's version
        }
        ResolutionProvider.Versions vs = versionsOf(key.name());
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

    private ResolutionProvider.Dependencies dependenciesOf(Key key, Candidate c) throws IOException {
        Decision at = new Decision(key, c.version());
        ResolutionProvider.Dependencies d = dependencies.get(at);
        if (d != null) {
            return d;
        }
        if (c.provided()) {
            d = new ResolutionProvider.Dependencies(List.of(), null);
        } else {
            ResolutionProvider.Dependencies raw = provider.dependencies(new Candidate(key.name(), c.version(),
                    c.file(), c.yanked(), false));
            if (raw.unusable() != null) {
                d = raw;
            } else {
                String extra = key.extra();
                List<Requirement> applicable = new ArrayList<>();
                if (extra != null) { // name[extra] is the base at the same version plus the extra's dependencies
                    applicable.add(Requirement.parse(key.name() + "==" + c.version()));
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
        dependencies.put(at, d);
        return d;
    }

    // of: the candidate whose dependency carries the marker, or null for a declared requirement.
    private boolean applies(Marker m, String extra, Candidate of) {
        try {
            return m == null || m.evaluate(request.markers(), extra);
        } catch (MarkerEvaluationException e) {
            throw new ResolutionException(new ResolutionFailure.UnevaluableMarker(m, of, e.getMessage(), e.hints()));
        }
    }

    private Resolution result(State s) {
        Map<String, Set<String>> extras = new LinkedHashMap<>();
        List<Resolution.Pin> pins = new ArrayList<>();
        List<Resolution.Pin> provided = new ArrayList<>();
        for (Key key : s.pins.keySet()) {
            if (key.isExtra()) {
                extras.computeIfAbsent(key.name(), k -> new TreeSet<>()).add(key.extra());
            }
        }
        for (Map.Entry<Key, Candidate> e : s.pins.entrySet()) {
            Key key = e.getKey();
            if (key.isExtra()) {
                continue;
            }
            List<Resolution.Reason> why = s.criteria.getOrDefault(key, List.of()).stream()
                    .map(c -> new Resolution.Reason(c.requirement().toString(), c.parent().isDeclared() ? null
                            : c.parent().key().name(), c.parent().version() == null ? null
                            : c.parent().version().toString(), c.parent().source())).distinct()
                    .collect(Collectors.toList());
            if (e.getValue().provided()) {
                if (!why.isEmpty()) {
                    provided.add(new Resolution.Pin(e.getValue(), Set.of(), why, List.of()));
                }
                continue;
            }
            Version version = e.getValue().version();
            List<Requirement> deps = new ArrayList<>(dependencies.get(new Decision(key, version)).requirements());
            for (String x : extras.getOrDefault(key.name(), Set.of())) {
                dependencies.get(new Decision(new Key(key.name(), x), version)).requirements().stream()
                        .filter(r -> !r.normalizedName().equals(key.name())).forEach(deps::add);
            }
            pins.add(new Resolution.Pin(e.getValue(), extras.getOrDefault(key.name(), Set.of()), why, deps));
        }
        return new Resolution(pins, provided);
    }

    // A requirement with the path that led to it, read from the criteria as they stand now.
    private static Cause cause(State s, Constraint c) {
        Cause via = null;
        if (!c.parent().isDeclared()) {
            List<Constraint> onParent = s.criteria.getOrDefault(c.parent().key(), List.of());
            if (!onParent.isEmpty()) {
                via = cause(s, onParent.get(0));
            }
        }
        return new Cause(c.requirement(), c.parent(), via);
    }

    // Why jumpTo's version goes: its own requirements on the key left without a version, and the others there.
    private static Rejection backjump(State s, Key key, Key jumpTo, Candidate bad) {
        List<Requirement> own = new ArrayList<>();
        List<Cause> others = new ArrayList<>();
        for (Constraint c : s.criteria.getOrDefault(key, List.of())) {
            if (jumpTo.equals(c.parent().key())) {
                own.add(c.requirement());
            } else {
                others.add(cause(s, c));
            }
        }
        return new Rejection.Backjump(bad, key, own, others);
    }

    private ResolutionFailure.NoVersion noVersion(State s, Key key) {
        String name = key.name();
        List<Cause> requirements = s.criteria.getOrDefault(key, List.of()).stream().map(c -> cause(s, c)).toList();
        List<Cause> constraints = limits.getOrDefault(name, List.of()).stream()
                .map(c -> new Cause(c.requirement(), c.parent(), null)).toList();
        List<Rejection> ruledOut = List.copyOf(s.rejections.getOrDefault(key, List.of()));
        SpecifierSet spec = combined(s, key);
        Candidate pinned = s.pins.get(key.base());
        if (pinned != null && pinned.provided()) {
            return new ResolutionFailure.NoVersion(key, request.targetDescription(), requirements, constraints,
                    pinned, spec, null, ruledOut);
        }
        ResolutionProvider.Versions vs;
        try {
            vs = versionsOf(name);
        } catch (IOException e) {
            // Report the conflict with what is known rather than let an index error hide it.
            return new ResolutionFailure.NoVersion(key, request.targetDescription(), requirements, constraints,
                    null, spec, null, ruledOut);
        }
        List<Version> usable = vs.usable().stream().map(Candidate::version).distinct().toList();
        ResolutionFailure.Offer offer = new ResolutionFailure.Offer(!vs.usable().isEmpty() || !vs.rejected().isEmpty(),
                usable, spec.admissible(usable, request.allowPrereleases()), vs.rejected().stream()
                .filter(r -> spec.contains(r.version(), true)).toList());
        return new ResolutionFailure.NoVersion(key, request.targetDescription(), requirements, constraints, null,
                spec, offer, ruledOut);
    }
}

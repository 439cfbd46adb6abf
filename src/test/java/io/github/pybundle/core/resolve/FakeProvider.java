package io.github.pybundle.core.resolve;

import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.spec.pep508.Requirement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An in-memory index for resolver unit tests: no HTTP, no wheels, just versions, dependencies and rejections. */
final class FakeProvider implements ResolutionProvider {
    private final Map<String, List<Candidate>> usable = new LinkedHashMap<>();
    private final Map<String, List<Rejected>> rejected = new LinkedHashMap<>();
    private final Map<String, List<Requirement>> dependencies = new HashMap<>();
    private final Map<String, String> unusable = new HashMap<>();
    int versionCalls;

    /** Adds a usable version with its dependencies (PEP 508 strings, markers allowed). */
    FakeProvider add(String name, String version, String... deps) {
        return add(name, version, false, deps);
    }

    FakeProvider yanked(String name, String version, String... deps) {
        return add(name, version, true, deps);
    }

    private FakeProvider add(String name, String version, boolean yanked, String... deps) {
        List<Candidate> cs = usable.computeIfAbsent(name, k -> new ArrayList<>());
        cs.add(new Candidate(name, Version.parse(version), null, yanked, false));
        cs.sort(Comparator.comparing(Candidate::version).reversed());
        List<Requirement> rs = new ArrayList<>();
        for (String d : deps) {
            rs.add(Requirement.parse(d));
        }
        dependencies.put(name + "@" + version, rs);
        return this;
    }

    /** A usable version whose metadata turns out to exclude the target. */
    FakeProvider unusable(String name, String version, String reason) {
        add(name, version);
        unusable.put(name + "@" + version, reason);
        return this;
    }

    /** A version that exists but has no file for the target. */
    FakeProvider reject(String name, String version, String reason) {
        List<Rejected> rs = rejected.computeIfAbsent(name, k -> new ArrayList<>());
        rs.add(new Rejected(Version.parse(version), reason));
        rs.sort(Comparator.comparing(Rejected::version).reversed());
        return this;
    }

    @Override
    public Versions versions(String name) {
        versionCalls++;
        return new Versions(List.copyOf(usable.getOrDefault(name, List.of())),
                List.copyOf(rejected.getOrDefault(name, List.of())));
    }

    @Override
    public Dependencies dependencies(Candidate candidate) {
        String at = candidate.name() + "@" + candidate.version();
        return unusable.containsKey(at) ? new Dependencies(List.of(), unusable.get(at))
                : new Dependencies(dependencies.getOrDefault(at, List.of()), null);
    }
}

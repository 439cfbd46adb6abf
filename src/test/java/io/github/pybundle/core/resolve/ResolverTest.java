package io.github.pybundle.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pybundle.core.spec.pep508.MarkerEnvironment;
import io.github.pybundle.core.spec.pep508.Requirement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resolver keeps nothing between calls: every request starts from its own requirements, limits and pins. */
class ResolverTest {
    private static final MarkerEnvironment PY38 = MarkerEnvironment.linuxCPython("3.8.18", "x86_64");

    private static Resolver.Request request(List<String> requirements, List<String> constraints,
                                            Map<String, String> provided) {
        return new Resolver.Request(requirements.stream().map(r -> new Resolver.Root(Requirement.parse(r),
                "<requirements>")).toList(), constraints.stream().map(c -> new Resolver.Root(Requirement.parse(c),
                "<constraints>")).toList(), provided, false, PY38, "cp38 / test");
    }

    private static Map<String, String> chosen(Resolution r) {
        Map<String, String> out = new LinkedHashMap<>();
        r.pins().forEach(p -> out.put(p.candidate().name(), p.candidate().version().toString()));
        return out;
    }

    @Test
    void oneResolver_resolvesRequestsInSequenceWithoutCarryingLimitsOrPinsOver() throws Exception {
        FakeProvider index = new FakeProvider().add("a", "1.0", "b").add("a", "2.0", "b>=2").add("b", "1.0")
                .add("b", "2.0").add("c", "1.0");
        Resolver resolver = new Resolver(index);

        Resolution first = resolver.resolve(request(List.of("a", "c"), List.of("b<2"), Map.of("c", "1.0")));
        assertEquals(Map.of("a", "1.0", "b", "1.0"), chosen(first));
        assertEquals("c", first.provided().get(0).candidate().name());

        // Without the constraint the newest versions fit; c is no longer provided, so it is chosen from the index.
        Resolution second = resolver.resolve(request(List.of("a", "c"), List.of(), Map.of()));
        assertEquals(Map.of("a", "2.0", "b", "2.0", "c", "1.0"), chosen(second));
        assertEquals(List.of(), second.provided());

        // And the first request still resolves as it did: nothing from the second leaked back either.
        assertEquals(chosen(first), chosen(resolver.resolve(request(List.of("a", "c"), List.of("b<2"),
                Map.of("c", "1.0")))));
    }
}

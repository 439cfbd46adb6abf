package io.github.pybundle.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pybundle.core.spec.pep508.MarkerEnvironment;
import io.github.pybundle.core.spec.pep508.Requirement;
import io.github.pybundle.maven.PomWords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole text of every kind of resolution failure, byte for byte: users and build logs read these, so a change in
 * wording must be deliberate. The scenario tests check fragments against a real index; these pin everything.
 */
class ResolverMessagesTest {
    private static final MarkerEnvironment PY38 = MarkerEnvironment.linuxCPython("3.8.18", "x86_64");

    private static List<Resolver.Root> roots(String source, String... requirements) {
        List<Resolver.Root> out = new ArrayList<>();
        for (int i = 0; i < requirements.length; i++) {
            out.add(new Resolver.Root(Requirement.parse(requirements[i]), source == null
                    ? "<requirements> entry " + (i + 1) : source));
        }
        return out;
    }

    private static String failure(FakeProvider index, List<Resolver.Root> requirements, List<Resolver.Root> constraints,
                                  Map<String, String> provided) {
        ResolutionException e = assertThrows(ResolutionException.class, () -> new Resolver(index).resolve(
                new Resolver.Request(requirements, constraints, provided, false, PY38, "cp38 / test")));
        StringBuilder sb = new StringBuilder(PomWords.render(e.getMessage()));
        e.hints().forEach(h -> sb.append("\nhint: ").append(PomWords.render(h)));
        return sb.toString();
    }

    private static String failure(FakeProvider index, String... requirements) {
        return failure(index, roots(null, requirements), List.of(), Map.of());
    }

    @Test
    void conflict_namesTheRequirementThatRuledAVersionOut() {
        FakeProvider index = new FakeProvider().add("frame", "2.0", "num>=1.22").add("frame", "1.0", "num")
                .add("num", "1.21").add("num", "1.22").add("num", "1.24");
        assertEquals("""
                cannot find a version of frame for cp38 / test that satisfies every requirement:
                  - frame>=2  required by <requirements> entry 1
                  every version that would fit was ruled out:
                    frame 2.0 requires num>=1.22, which conflicts with num<1.22  required by <requirements> entry 2
                hint: relax one of the requirements above, or add <constraints> that steer frame to a version \
                everything accepts""", failure(index, "frame>=2", "num<1.22"));
    }

    @Test
    void backjumps_areExplainedWithTheConflictTheyResolved() {
        FakeProvider index = new FakeProvider().add("x", "1.0", "z==1").add("y", "1.0", "z==2").add("z", "1")
                .add("z", "2");
        assertEquals("""
                cannot find a version of x for cp38 / test that satisfies every requirement:
                  - x  required by <requirements> entry 1
                  every version that would fit was ruled out:
                    x 1.0 leads to a conflict on y, which conflicts with y  required by <requirements> entry 2
                hint: relax one of the requirements above, or add <constraints> that steer x to a version \
                everything accepts""", failure(index, "x", "y"));
    }

    @Test
    void aDependencyNoVersionFits_isNamed() {
        FakeProvider index = new FakeProvider().add("a", "1.0", "b>=5").add("b", "1");
        assertEquals("""
                cannot find a version of a for cp38 / test that satisfies every requirement:
                  - a  required by <requirements> entry 1
                  every version that would fit was ruled out:
                    a 1.0 requires b>=5, and no version of b fits it for cp38 / test
                hint: relax one of the requirements above, or add <constraints> that steer a to a version \
                everything accepts""", failure(index, "a"));
    }

    @Test
    void ruledOutVersions_areCutAfterFive() {
        FakeProvider index = new FakeProvider().unusable("q", "8", "requires Python >=3.9");
        for (int v = 1; v <= 7; v++) {
            index.add("q", Integer.toString(v), "spark>=4");
        }
        assertEquals("""
                cannot find a version of q for cp38 / test that satisfies every requirement:
                  - q  required by <requirements> entry 1
                  every version that would fit was ruled out:
                    q 8: requires Python >=3.9
                    q 7 requires spark>=4, but spark 3.0 is provided by the cluster
                    q 6 requires spark>=4, but spark 3.0 is provided by the cluster
                    q 5 requires spark>=4, but spark 3.0 is provided by the cluster
                    q 4 requires spark>=4, but spark 3.0 is provided by the cluster
                    (3 more)
                hint: relax one of the requirements above, or add <constraints> that steer q to a version \
                everything accepts""", failure(index, roots(null, "q"), List.of(), Map.of("spark", "3.0")));
    }

    @Test
    void extraOfAProject_clashesWithAProvidedPackage() {
        FakeProvider index = new FakeProvider().add("foo", "1.0", "baz>=2; extra == 'bar'");
        assertEquals("""
                cannot find a version of foo for cp38 / test that satisfies every requirement:
                  - foo[bar]  required by <requirements> entry 1
                  every version that would fit was ruled out:
                    foo 1.0 requires baz>=2; extra == "bar", but baz 1.0 is provided by the cluster
                hint: relax one of the requirements above, or add <constraints> that steer foo to a version \
                everything accepts""", failure(index, roots(null, "foo[bar]"), List.of(), Map.of("baz", "1.0")));
    }

    @Test
    void noWheelForTheTarget_showsTheNewestThatHasOneAndWhyOthersFail() {
        FakeProvider index = new FakeProvider().add("numpy", "1.24.4");
        for (String v : List.of("2.0.0", "2.1.0", "2.2.0", "2.3.0")) {
            index.reject("numpy", v, "no wheel for cp38 (wheels: cp39-cp39-manylinux2014_x86_64)");
        }
        assertEquals("""
                cannot find a version of numpy for cp38 / test that satisfies every requirement:
                  - numpy>=2  required by <requirements> entry 1
                  numpy>=2 has no wheel for cp38 / test; the newest version with one is 1.24.4
                    numpy 2.3.0: no wheel for cp38 (wheels: cp39-cp39-manylinux2014_x86_64)
                    numpy 2.2.0: no wheel for cp38 (wheels: cp39-cp39-manylinux2014_x86_64)
                    numpy 2.1.0: no wheel for cp38 (wheels: cp39-cp39-manylinux2014_x86_64)
                hint: relax one of the requirements above, or add <constraints> that steer numpy to a version \
                everything accepts""", failure(index, "numpy>=2"));
        assertEquals("""
                cannot find a version of oldpkg for cp38 / test that satisfies every requirement:
                  - oldpkg  required by <requirements> entry 1
                  oldpkg has no wheel for cp38 / test; no version has one
                    oldpkg 0.3: only a source distribution
                hint: relax one of the requirements above, or add <constraints> that steer oldpkg to a version \
                everything accepts""",
                failure(new FakeProvider().reject("oldpkg", "0.3", "only a source distribution"), "oldpkg"));
    }

    @Test
    void noVersionSatisfies_listsAtMostEightVersions() {
        FakeProvider index = new FakeProvider();
        for (int v = 1; v <= 10; v++) {
            index.add("lib", v + ".0");
        }
        assertEquals("""
                cannot find a version of lib for cp38 / test that satisfies every requirement:
                  - lib>10  required by <requirements> entry 1
                  no version of lib satisfies >10; versions for cp38 / test: 10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0, \
                3.0, ...
                hint: relax one of the requirements above, or add <constraints> that steer lib to a version \
                everything accepts""", failure(index, "lib>10"));
    }

    @Test
    void unknownProject_saysNoSourceHasIt() {
        assertEquals("""
                cannot find a version of no-such-thing for cp38 / test that satisfies every requirement:
                  - no-such-thing  required by <requirements> entry 1
                  no configured index or find-links location has a project named no-such-thing
                hint: check the spelling of the name (case and the characters '-', '_' and '.' do not matter, PEP \
                503), and that <indexUrl>, <indexes> or <findLinks> name the index that has it""",
                failure(new FakeProvider(), "no-such-thing"));
    }

    @Test
    void providedConflict_showsConstraintsAndTheClustersVersion() {
        List<Resolver.Root> constraints = roots("<constraints>", "num>=1", "num<1; python_version < '3'");
        assertEquals("""
                cannot find a version of num for cp38 / test that satisfies every requirement:
                  - num<1.22  required by <requirements> entry 1
                  - num>=1  constraint from <constraints>
                  - num 1.24.4 is provided by the cluster (<target><provided>)
                hint: relax one of the requirements above, or add <constraints> that steer num to a version \
                everything accepts""", failure(new FakeProvider().add("num", "1.21"), roots(null, "num<1.22"),
                constraints, Map.of("num", "1.24.4")));
    }

    @Test
    void directUrl_isRefused() {
        assertEquals("""
                'pkg@ https://example.com/pkg-1.0-py3-none-any.whl' (<requirements> entry 1) names a direct URL, \
                which the resolver does not support yet
                hint: publish the wheel to your index, or put it in a <findLinks> directory and require it by name \
                and version""", failure(new FakeProvider(), "pkg @ https://example.com/pkg-1.0-py3-none-any.whl"));
    }

    @Test
    void unevaluableMarker_namesTheMarkerAndTheDependent() {
        assertEquals("""
                the marker '"3.x" > python_version' cannot be evaluated for the target: cannot compare '3.x' > \
                '3.8': '3.x' is not a PEP 440 version
                hint: check the marker's operator and values, or the target's <markerEnvironment>""",
                failure(new FakeProvider().add("a", "1.0"), "a; '3.x' > python_version"));
        assertEquals("""
                the marker '"3.x" > python_version' of a dependency of a 1.0 cannot be evaluated for the target: \
                cannot compare '3.x' > '3.8': '3.x' is not a PEP 440 version
                hint: check the marker's operator and values, or the target's <markerEnvironment>""",
                failure(new FakeProvider().add("a", "1.0", "b; '3.x' > python_version"), "a"));
    }
}

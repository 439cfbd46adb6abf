package io.github.pybundle.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.pybundle.core.resolve.Cause.Origin;
import io.github.pybundle.core.spec.pep440.SpecifierSet;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.spec.pep508.Requirement;
import io.github.pybundle.maven.PomWords;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Structured failures in, the sentences users read out: the wording lives here and nowhere in the search. */
class ResolutionReporterTest {
    private static final String TARGET = "cp38 / manylinux2014_x86_64";

    private static Candidate candidate(String name, String version) {
        return new Candidate(name, Version.parse(version), null, false, false);
    }

    private static Cause declared(String requirement, String source) {
        return new Cause(Requirement.parse(requirement), Origin.declared(source), null);
    }

    // num>=1.22 required by frame 2.0, which app[plot] 1.0 required, which the user declared.
    private static Cause deep() {
        Cause app = new Cause(Requirement.parse("app[plot]"), Origin.declared("<requirements> entry 1"), null);
        Cause frame = new Cause(Requirement.parse("frame>=2; extra == \"plot\""),
                Origin.chosen(new Key("app", "plot"), Version.parse("1.0")), app);
        return new Cause(Requirement.parse("num>=1.22"), Origin.chosen(Key.of("frame"), Version.parse("2.0")), frame);
    }

    @Test
    void chain_followsEachRequirementBackToItsDeclaration() {
        assertEquals("frame 2.0 <- frame>=2; extra == \"plot\" (app[plot] 1.0 <- app[plot] (<requirements> entry 1))",
                ResolutionReporter.chain(deep()));
        assertEquals("<constraints>", ResolutionReporter.chain(declared("num<2", "<constraints>")));
    }

    @Test
    void everyRejection_isOneSentence() {
        Candidate frame = candidate("frame", "2.0");
        assertEquals("frame 2.0: requires Python >=3.9", ResolutionReporter.describe(
                new Rejection.Unusable(frame, "requires Python >=3.9"), TARGET));
        assertEquals("frame 2.0 requires num>=1.22, but num 1.21 was chosen", ResolutionReporter.describe(
                new Rejection.Clash(frame, Requirement.parse("num>=1.22"), candidate("num", "1.21")), TARGET));
        assertEquals("frame 2.0 requires num>=1.22, but num 1.21 is provided by the cluster",
                ResolutionReporter.describe(new Rejection.Clash(frame, Requirement.parse("num>=1.22"),
                        new Candidate("num", Version.parse("1.21"), null, false, true)), TARGET));
        assertEquals("frame 2.0 requires num>=1.22, num!=1.23, and no version of num fits it for " + TARGET,
                ResolutionReporter.describe(new Rejection.Backjump(frame, Key.of("num"), List.of(
                        Requirement.parse("num>=1.22"), Requirement.parse("num!=1.23")), List.of()), TARGET));
        assertEquals("frame 2.0 leads to a conflict on num, which conflicts with num>=1.22  required by frame 2.0"
                        + " <- frame>=2; extra == \"plot\" (app[plot] 1.0 <- app[plot] (<requirements> entry 1));"
                        + " num<1.22  required by <requirements> entry 2",
                ResolutionReporter.describe(new Rejection.Backjump(frame, new Key("num", "fast"), List.of(),
                        List.of(deep(), declared("num<1.22", "<requirements> entry 2"))), TARGET));
    }

    @Test
    void noVersion_listsRequirementsConstraintsAndWhatWasRuledOut() {
        List<Rejection> ruledOut = List.of(new Rejection.Unusable(candidate("num", "1.25"), "requires Python >=3.9"),
                new Rejection.Clash(candidate("num", "1.24"), Requirement.parse("blas>=2"), candidate("blas", "1.0")));
        ResolutionFailure.NoVersion f = new ResolutionFailure.NoVersion(Key.of("num"), TARGET, List.of(deep(),
                declared("num<1.26", "<requirements> entry 2")), List.of(declared("num!=1.23", "<constraints>")), null,
                SpecifierSet.parse(">=1.22,<1.26,!=1.23"), new ResolutionFailure.Offer(true, List.of(
                Version.parse("1.25"), Version.parse("1.24")), List.of(Version.parse("1.25"), Version.parse("1.24")),
                List.of()), ruledOut);
        ResolutionException e = new ResolutionException(f);
        assertSame(f, e.failure());
        assertEquals("cannot find a version of num for " + TARGET + " that satisfies every requirement:\n"
                + "  - num>=1.22  required by frame 2.0 <- frame>=2; extra == \"plot\" (app[plot] 1.0 <- app[plot]"
                + " (<requirements> entry 1))\n"
                + "  - num<1.26  required by <requirements> entry 2\n"
                + "  - num!=1.23  constraint from <constraints>\n"
                + "  every version that would fit was ruled out:\n"
                + "    num 1.25: requires Python >=3.9\n"
                + "    num 1.24 requires blas>=2, but blas 1.0 was chosen", PomWords.render(e.getMessage()));
        assertEquals(List.of("relax one of the requirements above, or add <constraints> that steer num to a version"
                + " everything accepts"), e.hints().stream().map(PomWords::render).toList());
    }

    @Test
    void noVersion_withoutAnyOfferOrAProvidedVersion_stopsAfterTheRequirements() {
        ResolutionFailure.NoVersion f = new ResolutionFailure.NoVersion(new Key("num", "fast"), TARGET,
                List.of(declared("num[fast]>=2", "<requirements> entry 1")), List.of(), null,
                SpecifierSet.parse(">=2"), null, List.of());
        assertEquals("cannot find a version of num for " + TARGET + " that satisfies every requirement:\n"
                + "  - num[fast]>=2  required by <requirements> entry 1", ResolutionReporter.message(f));
    }

    @Test
    void tooManySteps_suggestsNarrowingTheRequirements() {
        ResolutionException e = new ResolutionException(new ResolutionFailure.TooManySteps(200_000));
        assertEquals("resolution gave up after 200000 steps without finding a consistent set of versions",
                PomWords.render(e.getMessage()));
        assertEquals(List.of("narrow the requirements (e.g. pin the large packages) so that fewer combinations must"
                + " be tried"), e.hints().stream().map(PomWords::render).toList());
    }
}

package io.github.pybundle.core.spec.pep440;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecifierTest {
    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        // the specification's examples
        "'~=2.2', 2.3, true",
        "'~=2.2', 3.0, false",
        "'~=1.4.5', 1.4.9, true",
        "'~=1.4.5', 1.5.0, false",
        "'~=2.2.post3', 2.9, true",
        "'~=2.2.post3', 2.2, false",
        "'~=1.4.5a4', 1.4.5, true",
        "'~=1.4.5a4', 1.5, false",
        "'==1.1.*', 1.1.post1, true",
        "'==1.1.*', 1.10, false",
        "'==1.1', 1.1.0, true",
        "'==1.1', 1.1.dev1, false",
        "'==1.1', 1.1a1, false",
        "'==1.1', 1.1.post1, false",
        "'==1.1.post1', 1.1.post1, true",
        "'==1.1.*', 1.1a1, false",
        "'!=1.1.*', 1.2, true",
        "'!=1.1.*', 1.1.5, false",
        // local versions: ignored unless the specifier has one
        "'==1.0', 1.0+local, true",
        "'==1.0+local', 1.0+local, true",
        "'==1.0+local', 1.0, false",
        "'>=1.0', 1.0+local, true",
        // exclusive ordered comparisons
        "'>1.7', 1.7.1, true",
        "'>1.7', 1.7.post2, false",
        "'>1.7.post2', 1.7.post3, true",
        "'>1.7', 1.7+local, false",
        "'<1.7', 1.7a1, false",
        "'<1.7', 1.6.9, true",
        "'<1.7rc1', 1.7a1, true",
        "'<=1.7', 1.7+local, true",
        // pre-releases are excluded unless named
        "'>=1.0', 2.0a1, false",
        "'>=1.0a1', 2.0a1, true",
        "'>=1.0,<2', 1.5.dev0, false",
        "'===1.0', 1.0, true",
        "'===1.0', 1.0.0, false",
        "'', 1.0, true",
        "'', 1.0rc1, false",
    })
    void contains_followsTheSpecificationExamples(String specs, String version, boolean expected) {
        assertEquals(expected, SpecifierSet.parse(specs).contains(Version.parse(version)));
    }

    @Test
    void contains_admitsPrereleasesWhenAsked() {
        SpecifierSet s = SpecifierSet.parse(">=1.0");
        assertTrue(s.contains(Version.parse("2.0a1"), true));
        assertFalse(SpecifierSet.parse(">=1.0a1").contains(Version.parse("2.0a1"), false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"~=1", ">=1.0.*", "<1.0+local", "==", ">= ", "=>1.0", "1.0", "~=1.0.*", "==1.0.*+x",
        ">=1.0,,<2,foo", "==1.0a1.*"})
    void parse_rejectsMalformedSpecifiers(String text) {
        InvalidSpecifierException e = assertThrows(InvalidSpecifierException.class, () -> SpecifierSet.parse(text));
        assertTrue(e.getMessage().contains("is not a valid version specifier"), e.getMessage());
    }

    @Test
    void parse_explainsWhyAnOperatorRejectsAVersion() {
        assertTrue(assertThrows(InvalidSpecifierException.class, () -> Specifier.parse(">=1.0.*")).getMessage()
                .contains("a .* suffix can only be used with == or !="));
        assertTrue(assertThrows(InvalidSpecifierException.class, () -> Specifier.parse("<1.0+abc")).getMessage()
                .contains("a local version label can only be used with == or !="));
        assertTrue(assertThrows(InvalidSpecifierException.class, () -> Specifier.parse("~=1")).getMessage()
                .contains("~= needs a version with at least two release segments"));
    }

    @Test
    void toString_sortsAndDeduplicatesLikeTheReference() {
        assertEquals("<2,>=1.0", SpecifierSet.parse(" >=1.0 , <2, >=1.0.0 ").toString());
        assertEquals("", SpecifierSet.parse(" , ").toString());
        assertEquals(SpecifierSet.parse("<2,>=1"), SpecifierSet.parse(">=1.0,<2"));
    }

    @Test
    void filter_keepsOrderAndFallsBackToPrereleasesOnlyForAnEmptySet() {
        List<Version> vs = List.of("1.0", "1.5a1", "2.0").stream().map(Version::parse).collect(Collectors.toList());
        assertEquals("[1.0, 2.0]", SpecifierSet.parse(">=1.0").filter(vs, null).toString());
        assertEquals("[1.5a1, 2.0]", SpecifierSet.parse(">=1.5a1").filter(vs, null).toString());
        List<Version> pres = List.of(Version.parse("1.5a1"));
        assertEquals("[1.5a1]", SpecifierSet.any().filter(pres, null).toString());
        assertEquals("[]", SpecifierSet.parse(">=1.0").filter(pres, null).toString());
    }

    @Test
    void admissible_admitsPrereleasesOnlyWhenAllowedNamedOrNothingElseSatisfies() {
        List<Version> vs = List.of("1.0", "2.0b1", "2.0rc1").stream().map(Version::parse).collect(Collectors.toList());
        assertEquals("[1.0]", SpecifierSet.parse(">=1.0").admissible(vs, false).toString());
        assertEquals("[1.0, 2.0b1, 2.0rc1]", SpecifierSet.parse(">=1.0").admissible(vs, true).toString());
        assertEquals("[2.0b1, 2.0rc1]", SpecifierSet.parse(">=2.0b1").admissible(vs, false).toString());
        assertEquals("[2.0b1, 2.0rc1]", SpecifierSet.parse(">1.0").admissible(vs, false).toString());
        assertEquals("[]", SpecifierSet.parse(">=3").admissible(vs, false).toString());
    }
}

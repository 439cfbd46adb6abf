package io.github.pybundle.core.spec.pep440;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // the normalisation rules of the specification, in its order
        "1.0RC1, 1.0rc1",
        "1.1RC1, 1.1rc1",
        "0100, 100",
        "1.0.00, 1.0.0",
        "1.1.a1, 1.1a1",
        "1.1-a1, 1.1a1",
        "1.1_a1, 1.1a1",
        "1.0a, 1.0a0",
        "1.0alpha1, 1.0a1",
        "1.0beta2, 1.0b2",
        "1.0c1, 1.0rc1",
        "1.0pre1, 1.0rc1",
        "1.0preview1, 1.0rc1",
        "1.2-post2, 1.2.post2",
        "1.2post2, 1.2.post2",
        "1.2.post, 1.2.post0",
        "1.0-r4, 1.0.post4",
        "1.0-rev4, 1.0.post4",
        "1.0-1, 1.0.post1",
        "1.2-dev2, 1.2.dev2",
        "1.2dev2, 1.2.dev2",
        "1.2.dev, 1.2.dev0",
        "1.0+ubuntu-1, 1.0+ubuntu.1",
        "1.0+UBUNTU_1, 1.0+ubuntu.1",
        "v1.0, 1.0",
        "V1.0, 1.0",
        "'  1.0\t', 1.0",
        "0!1.0, 1.0",
        "1!1.0, 1!1.0",
        "1.0a1.post2.dev3+local.7, 1.0a1.post2.dev3+local.7",
        "1.0-alpha-1, 1.0a1",
        "1.0.post-1, 1.0.post1",
        "1.0-dev-, 1.0.dev0",
    })
    void parse_normalisesEverySpellingTheSpecAllows(String input, String normalised) {
        assertEquals(normalised, Version.parse(input).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.", ".1", "1..0", "a1.0", "1.0+", "1.0+local-", "1.0-", "1.0 .1",
        "1.0_", "1.0a1a2", "1!", "!1.0", "1.0+lo cal", "1.0+ubuntu..1", "1.0dev1post1", "1.0-1-1"})
    void parse_rejectsWhatIsNotAVersion(String input) {
        InvalidVersionException e = assertThrows(InvalidVersionException.class, () -> Version.parse(input));
        assertTrue(e.getMessage().contains("'" + input + "'"), e.getMessage());
    }

    /** Strictly increasing, from the specification's examples plus epoch, local and trailing-zero cases. */
    private static final List<String> ORDERED = List.of(
            "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
            "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7",
            "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1", "1.1", "1.1.0.1", "2.0.dev0",
            "2.0", "10.0", "1!0.1", "1!1.0");

    @Test
    void compareTo_ordersEveryPairOfTheSpecExamples() {
        for (int i = 0; i < ORDERED.size(); i++) {
            for (int j = 0; j < ORDERED.size(); j++) {
                Version a = Version.parse(ORDERED.get(i));
                Version b = Version.parse(ORDERED.get(j));
                assertEquals(Integer.signum(Integer.compare(i, j)), Integer.signum(a.compareTo(b)),
                        ORDERED.get(i) + " vs " + ORDERED.get(j));
            }
        }
    }

    @Test
    void equals_ignoresTrailingZerosAndSpelling() {
        assertEquals(Version.parse("1.0"), Version.parse("1.0.0"));
        assertEquals(Version.parse("1.0").hashCode(), Version.parse("1.0.0.0").hashCode());
        assertEquals(Version.parse("1.0RC1"), Version.parse("1.0-rc.1"));
        assertFalse(Version.parse("1.0").equals(Version.parse("1.0+local")));
    }

    @Test
    void accessors_describeTheParts() {
        Version v = Version.parse("2!1.2.3rc4.post5.dev6+ab.7");
        assertEquals("2", v.epoch().toString());
        assertEquals("rc", v.prePhase().label());
        assertEquals("5", v.post().toString());
        assertEquals("6", v.dev().toString());
        assertEquals("ab.7", v.local());
        assertEquals("2!1.2.3rc4.post5.dev6", v.publicVersion());
        assertEquals("2!1.2.3", v.baseVersion().toString());
        assertTrue(v.isPrerelease());
        assertTrue(Version.parse("1.0.dev1").isPrerelease());
        assertFalse(Version.parse("1.0.post1").isPrerelease());
    }

    @Test
    void parse_acceptsNumbersBeyondLong() {
        Version v = Version.parse("123456789012345678901234567890.1");
        assertTrue(v.compareTo(Version.parse("9223372036854775807")) > 0);
    }
}

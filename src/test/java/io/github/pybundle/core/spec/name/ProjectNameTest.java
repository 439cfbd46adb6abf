package io.github.pybundle.core.spec.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectNameTest {
    @ParameterizedTest(name = "{0} -> {1} / {2}")
    @CsvSource({
        "friendly-bard, friendly-bard, friendly_bard",
        "Friendly-Bard, friendly-bard, friendly_bard",
        "FRIENDLY-BARD, friendly-bard, friendly_bard",
        "friendly.bard, friendly-bard, friendly_bard",
        "friendly_bard, friendly-bard, friendly_bard",
        "friendly--bard, friendly-bard, friendly_bard",
        "FrIeNdLy-._.-bArD, friendly-bard, friendly_bard",
        "a, a, a",
    })
    void normalizedAndEscaped_followPep503AndTheWheelSpec(String input, String normalized, String escaped) {
        ProjectName name = ProjectName.of(input);
        assertEquals(normalized, name.normalized());
        assertEquals(escaped, name.escaped());
        assertEquals(input, name.original());
        assertEquals(ProjectName.of(normalized), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "a b", "a/b", "ä", ".a", "a_"})
    void of_rejectsInvalidNames(String input) {
        assertThrows(InvalidNameException.class, () -> ProjectName.of(input));
    }
}

package io.github.pybundle.core.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.maven.PomWords;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MavenVersionMapperTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1.2.0-SNAPSHOT, 1.2.0.dev0",
        "1.0-beta-2, 1.0b2",
        "2.1-rc1, 2.1rc1",
        "2.1-RC-1, 2.1rc1",
        "2.1-CR1, 2.1rc1",
        "1.0-alpha-1, 1.0a1",
        "1.0-alpha, 1.0a0",
        "1.0.beta.3, 1.0b3",
        "1.0-beta-2-SNAPSHOT, 1.0b2.dev0",
        "1.0-1, 1.0.post1",
        "1.0-sp-2, 1.0.post2",
        "1.0-sp, 1.0.post0",
        "1.0-final, 1.0",
        "1.0.GA, 1.0",
        "1.0-RELEASE, 1.0",
        "3, 3",
        "1.0-dev-4, 1.0.dev4",
        "0.1.0-SNAPSHOT, 0.1.0.dev0",
    })
    void toPep440_mapsQualifiersBothSchemesKnow(String maven, String pep440) {
        assertEquals(pep440, MavenVersionMapper.toPep440(maven).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0-M1", "1.0-milestone-2", "1.0-foo", "latest", "1.0-SNAPSHOT-2", "", "1.0-jre"})
    void toPep440_rejectsQualifiersWithoutAPep440Equivalent(String maven) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> MavenVersionMapper.toPep440(maven));
        assertEquals("version", e.setting());
        assertEquals(maven, e.value());
        assertTrue(PomWords.render(e.getMessage()).contains("'" + maven + "'"));
        assertTrue(e.hints().stream().map(PomWords::render).anyMatch(h -> h.contains("<distributionVersion>")));
    }

    @Test
    void toPep440_keepsMavensOrderOfQualifiers() {
        List<String> mavenOrder = List.of("1.0-alpha-1-SNAPSHOT", "1.0-alpha-1", "1.0-beta-1", "1.0-rc-1",
                "1.0-SNAPSHOT", "1.0", "1.0-1", "1.0.1-SNAPSHOT", "1.0.1");
        // 1.0-SNAPSHOT (1.0.dev0) sorts before 1.0's pre-releases in PEP 440; Maven puts it after rc. That is the
        // one order the schemes disagree on, so it is checked separately below.
        List<String> comparable = mavenOrder.stream().filter(v -> !v.equals("1.0-SNAPSHOT")).toList();
        for (int i = 1; i < comparable.size(); i++) {
            Version lower = MavenVersionMapper.toPep440(comparable.get(i - 1));
            Version higher = MavenVersionMapper.toPep440(comparable.get(i));
            assertTrue(lower.compareTo(higher) < 0, lower + " < " + higher);
        }
        assertTrue(MavenVersionMapper.toPep440("1.0-SNAPSHOT").compareTo(MavenVersionMapper.toPep440("1.0")) < 0);
    }
}

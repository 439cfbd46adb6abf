package io.github.pybundle.core.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.maven.PomWords;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetTest {
    @Test
    void of_completesTheTargetFromTheVersionAndPlatform() {
        Target t = Target.of(new Target.Spec("3.8", "3.8.18", null, null, List.of("manylinux_2_28_aarch64"),
                Map.of("platform_release", "5.15")));
        assertEquals(List.of("cp38"), t.abis());
        assertEquals("aarch64", t.markers().get("platform_machine"));
        assertEquals("3.8.18", t.markers().get("python_full_version"));
        assertEquals("5.15", t.markers().get("platform_release"));
        assertEquals("cp38 / manylinux_2_28_aarch64", t.describe());
        assertEquals("cp38-cp38-manylinux_2_28_aarch64", t.tags().tags().get(0).toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "3.8.x | | manylinux2014_x86_64 | | <target><pythonVersion> must look like 3.8, got '3.8.x'",
        "3.8 | 3.9.1 | manylinux2014_x86_64 | | is not a 3.8.x version",
        "3.8 | | manylinux2014_sparc | cp | not a platform tag",
        "3.8 | | manylinux2014_x86_64 | jython | <target><implementation> 'jython' is not known",
        " | | manylinux2014_x86_64 | | <target><pythonVersion> is required to resolve dependencies",
    })
    void of_rejectsAMalformedTargetNamingTheElement(String py, String full, String platform, String impl,
                                                      String message) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> Target.of(
                new Target.Spec(py, full, impl, null, List.of(platform), null)));
        assertEquals("target", e.setting());
        assertTrue(PomWords.render(e.getMessage()).contains(message), PomWords.render(e.getMessage()));
    }
}

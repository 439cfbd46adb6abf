package io.github.pybundle.core.spec.pep508;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarkerTest {
    /** A cluster node: CPython 3.8 on Linux x86_64, evaluated on a build host that is nothing like it. */
    private static final MarkerEnvironment CLUSTER = MarkerEnvironment.linuxCPython("3.8.10", "x86_64");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "python_version >= '3.8' | true",
        "python_version > '3.8' | false",
        "python_full_version >= '3.8.1' | true",
        "python_version < '3.10' | true",
        "'3.9' <= python_version | false",
        "sys_platform == 'linux' and platform_machine == 'x86_64' | true",
        "sys_platform == 'win32' or python_version == '3.8' | true",
        "sys_platform == 'win32' or os_name == 'posix' and python_version < '3' | false",
        "(sys_platform == 'win32' or os_name == 'posix') and python_version < '3.9' | true",
        "'linux' in sys_platform | true",
        "'lin' not in sys_platform | false",
        "platform_python_implementation != 'PyPy' | true",
        "python_implementation == 'CPython' | true",
        "os.name == 'posix' | true",
        "python_version == '3.8.*' | true",
        "python_version ~= '3.6' | true",
        "implementation_name == 'cpython' | true",
        "platform_machine < 'y' | true",
        "extra == 'test' | false",
    })
    void evaluate_judgesTheTargetNotTheHost(String marker, boolean expected) {
        assertEquals(expected, Marker.parse(marker).evaluate(CLUSTER, null));
    }

    @Test
    void evaluate_comparesExtrasNormalised() {
        Marker m = Marker.parse("extra == 'Test_Extra'");
        assertTrue(m.evaluate(CLUSTER, "test-extra"));
        assertTrue(m.evaluate(CLUSTER, "TEST.EXTRA"));
        assertTrue(m.mentionsExtra());
    }

    @Test
    void evaluate_reportsComparisonsThatHaveNoMeaning() {
        assertThrows(MarkerEvaluationException.class,
                () -> Marker.parse("os_name ~= 'posix'").evaluate(CLUSTER, null));
        assertThrows(MarkerEvaluationException.class,
                () -> Marker.parse("platform_release >= '5.0'").evaluate(CLUSTER.with("platform_release",
                        "5.15.0-91-generic"), null));
    }

    @Test
    void toString_isCanonical() {
        assertEquals("python_version >= \"3.8\" and (os_name == \"nt\" or platform_python_implementation == \"PyPy\")",
                Marker.parse("((python_version>='3.8') and (os.name=='nt' or python_implementation=='PyPy'))")
                        .toString());
    }

    @Test
    void parse_failsWithACaret() {
        InvalidRequirementException e = assertThrows(InvalidRequirementException.class,
                () -> Marker.parse("python_version >= '3.8' and"));
        assertTrue(e.getMessage().startsWith("Expected a marker variable or quoted string\n"), e.getMessage());
        assertTrue(e.getMessage().endsWith("\n                               ^"), e.getMessage());
    }
}

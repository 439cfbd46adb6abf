package io.github.pybundle.core.spec.pep508;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequirementTest {
    private static final MarkerEnvironment PY38 = MarkerEnvironment.linuxCPython("3.8.18", "x86_64");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "requests | requests",
        "requests[security,socks] >= 2.8.1, == 2.8.* | requests[security,socks]==2.8.*,>=2.8.1",
        "requests (>=2.8.1) | requests>=2.8.1",
        "pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee | "
                + "pip@ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee",
        "name@http://foo.com ; python_version < '2.7' | name@ http://foo.com ; python_version < \"2.7\"",
        "argparse;python_version<\"2.7\" | argparse; python_version < \"2.7\"",
        "name[quux, strange];python_version<'2.7' and platform_version=='2' | "
                + "name[quux,strange]; python_version < \"2.7\" and platform_version == \"2\"",
        "foo ; extra == 'Test_Extra' | foo; extra == \"test-extra\"",
    })
    void parse_readsThePep508ExamplesIntoCanonicalForm(String input, String canonical) {
        assertEquals(canonical, Requirement.parse(input).toString());
    }

    @Test
    void parse_exposesTheParts() {
        Requirement r = Requirement.parse("Zope.Interface[Test_X] >=5 ; sys_platform == 'linux'");
        assertEquals("Zope.Interface", r.name());
        assertEquals("zope-interface", r.normalizedName());
        assertEquals(Set.of("test-x"), r.normalizedExtras());
        assertEquals(">=5", r.specifier().toString());
        assertNull(r.url());
        assertTrue(r.appliesTo(PY38, null));
        assertFalse(r.appliesTo(PY38.with("sys_platform", "win32"), null));
    }

    @Test
    void parse_showsTheInputWithACaretUnderTheFault() {
        InvalidRequirementException e = assertThrows(InvalidRequirementException.class,
                () -> Requirement.parse("pandas >=2,<"));
        assertEquals("Expected end or semicolon (after version specifier)\n    pandas >=2,<\n           ~~~~^",
                e.getMessage());
        InvalidRequirementException e2 = assertThrows(InvalidRequirementException.class,
                () -> Requirement.parse("name[bar baz]"));
        assertEquals("Expected comma between extra names\n    name[bar baz]\n             ^", e2.getMessage());
    }

    @Test
    void parse_rejectsWildcardsOnOrderedOperatorsWithTheReason() {
        InvalidRequirementException e = assertThrows(InvalidRequirementException.class,
                () -> Requirement.parse("name >= 1.0.*"));
        assertTrue(e.getMessage().startsWith(".* suffix can only be used with `==` or `!=` operators"));
    }
}

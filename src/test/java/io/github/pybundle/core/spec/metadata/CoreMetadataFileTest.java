package io.github.pybundle.core.spec.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoreMetadataFileTest {
    private static CoreMetadataFile parse(String text) {
        return CoreMetadataFile.parse(text.getBytes(StandardCharsets.UTF_8), "x.dist-info/METADATA");
    }

    @Test
    void parse_readsTheFieldsResolutionNeeds() {
        CoreMetadataFile m = parse("Metadata-Version: 2.4\r\nName: Pandas\r\nVersion: 2.0.3\r\n"
                + "Summary: Powerful data structures\r\nRequires-Python: >=3.8\r\n"
                + "Requires-Dist: numpy>=1.20.3; python_version < \"3.10\"\r\n"
                + "Requires-Dist: tzdata>=2022.1\r\nProvides-Extra: Test_All\r\n"
                + "Requires-Dist: pytest>=7.0; extra == \"test-all\"\r\n\r\nLong description: ünïcode\r\n");
        assertEquals("2.4", m.metadataVersion());
        assertEquals("Pandas", m.name());
        assertEquals("2.0.3", m.version().toString());
        assertEquals(">=3.8", m.requiresPython().toString());
        assertEquals(3, m.requiresDist().size());
        assertEquals("numpy>=1.20.3; python_version < \"3.10\"", m.requiresDist().get(0).toString());
        assertEquals(List.of("test-all"), m.providesExtra());
        assertEquals("Long description: ünïcode\n", m.description());
    }

    @Test
    void parse_unfoldsContinuationLines() {
        CoreMetadataFile m = parse("Metadata-Version: 1.2\nName: old\nVersion: 1.0\nRequires-Dist: foo\n"
                + "  >=1.0\nDescription: first\n        |second line\n");
        assertEquals("foo  >=1.0", m.all("requires-dist").get(0));
        assertEquals(">=1.0", m.requiresDist().get(0).specifier().toString());
        assertEquals("first\nsecond line", m.description());
    }

    @Test
    void parse_keepsGoingPastAMalformedRequiresPythonAndSaysSo() {
        CoreMetadataFile m = parse("Metadata-Version: 2.1\nName: x\nVersion: 1\nRequires-Python: >=3.6.*\n");
        assertNull(m.requiresPython());
        assertEquals(List.of("Requires-Python '>=3.6.*' is not a valid specifier and is ignored"), m.problems());
    }

    @Test
    void parse_failsOnMissingNameBadVersionOrBadRequiresDistWithTheLine() {
        assertTrue(assertThrows(InvalidMetadataException.class, () -> parse("Metadata-Version: 2.1\nVersion: 1\n"))
                .getMessage().contains("the required field Name is missing"));
        assertEquals("x.dist-info/METADATA:3: Version 'one' is not a PEP 440 version",
                assertThrows(InvalidMetadataException.class, () -> parse("Metadata-Version: 2.1\nName: x\n"
                        + "Version: one\n")).getMessage());
        assertTrue(assertThrows(InvalidMetadataException.class, () -> parse("Metadata-Version: 2.1\nName: x\n"
                + "Version: 1\nRequires-Dist: foo >=\n")).getMessage().startsWith("x.dist-info/METADATA:4: "
                + "Requires-Dist 'foo >=' is not a valid requirement"));
    }

    @Test
    void parse_acceptsLatin1OnlyInOldMetadata() {
        byte[] latin1 = "Metadata-Version: 1.1\nName: x\nVersion: 1\nSummary: caf\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("caf\u00e9", CoreMetadataFile.parse(latin1, "PKG-INFO").summary());
        byte[] bad = "Metadata-Version: 2.1\nName: x\nVersion: 1\nSummary: caf\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(InvalidMetadataException.class, () -> CoreMetadataFile.parse(bad, "METADATA"));
    }

    @Test
    void licenceFields_expressionTextAndClassifiers() {
        CoreMetadataFile m = parse("Metadata-Version: 2.4\nName: x\nVersion: 1\nLicense-Expression: MIT OR"
                + "\n Apache-2.0\nLicense: Copyright (c) 2020 X\n        |\n        |Permission is granted\n"
                + "Classifier: License :: OSI Approved :: MIT License\nClassifier: Programming Language :: Python\n");
        assertEquals("MIT OR Apache-2.0", m.licenseExpression());
        assertEquals("Copyright (c) 2020 X\n\nPermission is granted", m.license());
        assertEquals(List.of("License :: OSI Approved :: MIT License", "Programming Language :: Python"),
                m.classifiers());
        CoreMetadataFile none = parse("Metadata-Version: 2.1\nName: x\nVersion: 1\nLicense: \n");
        assertNull(none.licenseExpression());
        assertNull(none.license());
        assertEquals(List.of(), none.classifiers());
    }
}

package io.github.pybundle.core.sbom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pybundle.testing.TestWheels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cyclonedx.Version;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.ExternalReference;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SbomWriterTest {
    private static final Instant TIME = Instant.parse("2024-01-01T00:00:00Z");
    private static final Component APP = Component.of(Component.Type.APPLICATION, "com.example", "wordcount", "2.0",
            Purl.maven("com.example", "wordcount", "2.0"));
    private static final Component TOOL = Component.of(Component.Type.APPLICATION, "io.github.pybundle",
            "pybundle-maven-plugin", "0.1.0", Purl.maven("io.github.pybundle", "pybundle-maven-plugin", "0.1.0"));

    @TempDir
    Path dir;

    private Path wheel(TestWheels.Spec spec, String extraMetadata) throws Exception {
        Path w = dir.resolve(spec.filename());
        Files.write(w, TestWheels.build(spec, extraMetadata));
        return w;
    }

    // Wheels covering each licence source, a local version, and one without any licence.
    private List<Path> wheels() throws Exception {
        List<Path> out = new ArrayList<>();
        out.add(wheel(TestWheels.pure("zeta-pkg", "1.0+cpu"), "License-Expression: MIT OR Apache-2.0\n"
                + "License: ignored when there is an expression\n"));
        out.add(wheel(TestWheels.pure("Requests", "2.32.3"), "License: Apache 2.0\n"
                + "Classifier: License :: OSI Approved :: Apache Software License\n"));
        out.add(wheel(TestWheels.pure("six", "1.16.0"), "License: UNKNOWN\n"
                + "Classifier: License :: OSI Approved :: MIT License\nClassifier: License :: OSI Approved\n"
                + "Classifier: Programming Language :: Python :: 3\n"));
        out.add(wheel(TestWheels.pure("long_text", "3.0"), "License: Copyright (c) 2020, Someone\n"
                + "        |All rights reserved.\n"));
        out.add(wheel(TestWheels.pure("bare", "0.1"), ""));
        return out;
    }

    private static JsonNode parse(byte[] json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    private static JsonNode byName(JsonNode doc, String name) {
        for (JsonNode c : doc.get("components")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no component " + name + " in " + doc);
    }

    @Test
    void json_listsEachPackageSortedWithPurlSha256AndLicence() throws Exception {
        List<Path> wheels = wheels();
        JsonNode doc = parse(SbomWriter.json(new SbomWriter.Sbom(APP, TOOL, WheelComponents.of(wheels), TIME)));
        assertEquals("CycloneDX", doc.get("bomFormat").asText());
        assertEquals("1.6", doc.get("specVersion").asText());
        assertEquals(1, doc.get("version").asInt());
        assertEquals("2024-01-01T00:00:00Z", doc.at("/metadata/timestamp").asText());
        assertEquals("application", doc.at("/metadata/component/type").asText());
        assertEquals("pkg:maven/com.example/wordcount@2.0", doc.at("/metadata/component/purl").asText());
        assertEquals("com.example", doc.at("/metadata/component/group").asText());
        assertEquals("pybundle-maven-plugin", doc.at("/metadata/tools/components/0/name").asText());

        List<String> names = new ArrayList<>();
        doc.get("components").forEach(c -> names.add(c.get("name").asText()));
        assertEquals(List.of("bare", "long_text", "Requests", "six", "zeta-pkg"), names);
        for (Path w : wheels) {
            JsonNode c = null;
            for (JsonNode x : doc.get("components")) {
                if (x.at("/properties/0/value").asText().equals(w.getFileName().toString())) {
                    c = x;
                }
            }
            assertEquals("library", c.get("type").asText());
            assertEquals("SHA-256", c.at("/hashes/0/alg").asText());
            assertEquals(TestWheels.sha256Hex(Files.readAllBytes(w)), c.at("/hashes/0/content").asText(), w.toString());
            assertEquals(c.get("purl").asText(), c.get("bom-ref").asText());
            assertEquals(WheelComponents.WHEEL_PROPERTY, c.at("/properties/0/name").asText());
        }

        JsonNode zeta = byName(doc, "zeta-pkg");
        assertEquals("1.0+cpu", zeta.get("version").asText());
        assertEquals("pkg:pypi/zeta-pkg@1.0%2Bcpu", zeta.get("purl").asText());
        assertEquals("MIT OR Apache-2.0", zeta.at("/licenses/0/expression").asText());
        assertEquals("declared", zeta.at("/licenses/0/acknowledgement").asText());
        assertEquals(1, zeta.get("licenses").size());

        JsonNode requests = byName(doc, "Requests");
        assertEquals("pkg:pypi/requests@2.32.3", requests.get("purl").asText());
        assertEquals("Apache 2.0", requests.at("/licenses/0/license/name").asText()); // the License field wins
        assertEquals(1, requests.get("licenses").size());

        JsonNode six = byName(doc, "six");
        assertEquals("MIT License", six.at("/licenses/0/license/name").asText()); // UNKNOWN is no licence
        assertEquals(1, six.get("licenses").size());

        JsonNode longText = byName(doc, "long_text");
        assertEquals("pkg:pypi/long-text@3.0", longText.get("purl").asText());
        assertEquals("Copyright (c) 2020, Someone", longText.at("/licenses/0/license/name").asText());
        assertEquals("Copyright (c) 2020, Someone\nAll rights reserved.",
                longText.at("/licenses/0/license/text/content").asText());

        assertFalse(byName(doc, "bare").has("licenses"));
        assertFalse(byName(doc, "bare").has("externalReferences"));
    }

    @Test
    void json_referencesTheSbomsAWheelShips() throws Exception {
        TestWheels.Spec plain = TestWheels.pure("native-lib", "1.2");
        Map<String, String> files = new LinkedHashMap<>(plain.files());
        String sbom = "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\"}\n";
        files.put(plain.distInfo() + "sboms/auditwheel.cdx.json", sbom);
        files.put(plain.distInfo() + "sboms/vendored libs.spdx.json", "{}\n");
        files.put("native_lib/sboms/not-pep-770.json", "{}\n");
        Path w = wheel(new TestWheels.Spec(plain.name(), plain.version(), plain.tag(), plain.requiresDist(), null,
                files), "");
        JsonNode c = parse(SbomWriter.json(new SbomWriter.Sbom(APP, null, List.of(WheelComponents.of(w)), TIME)))
                .at("/components/0");
        JsonNode refs = c.get("externalReferences");
        assertEquals(2, refs.size(), refs.toString());
        assertEquals("bom", refs.at("/0/type").asText());
        assertEquals("native_lib-1.2.dist-info/sboms/auditwheel.cdx.json", refs.at("/0/url").asText());
        assertEquals("PEP 770 SBOM inside native_lib-1.2-py3-none-any.whl: native_lib-1.2.dist-info/sboms/"
                + "auditwheel.cdx.json", refs.at("/0/comment").asText());
        assertEquals(TestWheels.sha256Hex(sbom.getBytes(StandardCharsets.UTF_8)), refs.at("/0/hashes/0/content")
                .asText());
        assertEquals("native_lib-1.2.dist-info/sboms/vendored%20libs.spdx.json", refs.at("/1/url").asText());

        // CycloneDX's own library reads them as references to BOMs.
        Bom bom = new JsonParser().parse(SbomWriter.json(new SbomWriter.Sbom(APP, null, List.of(WheelComponents.of(
                w)), TIME)));
        ExternalReference r = bom.getComponents().get(0).getExternalReferences().get(0);
        assertEquals(ExternalReference.Type.BOM, r.getType());
        assertEquals("native_lib-1.2.dist-info/sboms/auditwheel.cdx.json", r.getUrl());
    }

    @Test
    void write_givesTheSameBytesForTheSameInputsInAnyOrderAndANewSerialForNewContent() throws Exception {
        List<Component> components = WheelComponents.of(wheels());
        Path first = SbomWriter.write(dir.resolve("a/app-bom.json"), new SbomWriter.Sbom(APP, TOOL, components, TIME));
        List<Component> shuffled = new ArrayList<>(components);
        Collections.reverse(shuffled);
        Path second = SbomWriter.write(dir.resolve("b/app-bom.json"), new SbomWriter.Sbom(APP, TOOL, shuffled, TIME));
        assertEquals(-1L, Files.mismatch(first, second));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
        try (var left = Files.list(first.getParent())) {
            assertEquals(List.of(first), left.toList()); // no temporary file left behind
        }
        String serial = parse(Files.readAllBytes(first)).get("serialNumber").asText();
        assertTrue(serial.matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
                serial);
        String later = parse(SbomWriter.json(new SbomWriter.Sbom(APP, TOOL, components, TIME.plusSeconds(1))))
                .get("serialNumber").asText();
        assertNotEquals(serial, later);
        assertTrue(Files.readString(first).endsWith("}\n"));
    }

    @Test
    void json_isValidCycloneDx16WithExtraComponents() throws Exception {
        List<Component> components = new ArrayList<>(WheelComponents.of(wheels()));
        components.add(Component.of(Component.Type.PLATFORM, null, "cpython", "3.11.9",
                Purl.generic("cpython", "3.11.9")));
        components.add(Component.of(Component.Type.LIBRARY, "org.example", "udfs", "1.0",
                Purl.maven("org.example", "udfs", "1.0")));
        components.add(Component.of(Component.Type.LIBRARY, "org.example", "udfs", "1.0",
                Purl.maven("org.example", "udfs", "1.0"))); // the same twice: bom-refs stay unique
        byte[] json = SbomWriter.json(new SbomWriter.Sbom(APP, TOOL, components, TIME));
        JsonParser parser = new JsonParser();
        assertEquals(List.of(), parser.validate(json, Version.VERSION_16));
        byte[] broken = new String(json, StandardCharsets.UTF_8).replace("\"platform\"", "\"interpreter\"")
                .getBytes(StandardCharsets.UTF_8);
        assertFalse(parser.validate(broken, Version.VERSION_16).isEmpty(), "the validator checks the schema");
        if (System.getProperty("sbom.dump") != null) {
            Files.write(Path.of(System.getProperty("sbom.dump")), json);
        }
        Bom bom = parser.parse(json);
        assertEquals(components.size(), bom.getComponents().size());
        assertEquals("pkg:maven/com.example/wordcount@2.0", bom.getMetadata().getComponent().getPurl());
        JsonNode doc = parse(json);
        assertEquals("platform", byName(doc, "cpython").get("type").asText());
        assertEquals("pkg:generic/cpython@3.11.9", byName(doc, "cpython").get("purl").asText());
        List<String> refs = new ArrayList<>();
        doc.get("components").forEach(c -> refs.add(c.get("bom-ref").asText()));
        assertTrue(refs.contains("pkg:maven/org.example/udfs@1.0#2"), refs.toString());
        assertEquals(refs.size(), refs.stream().distinct().count());
    }

    @Test
    void component_refusesAnExpressionBesideOtherLicences() {
        assertThrows(IllegalArgumentException.class, () -> new Component(Component.Type.LIBRARY, null, "x", "1", null,
                null, List.of(Component.License.expression("MIT"), Component.License.named("BSD")), List.of(),
                List.of()));
    }

    @Test
    void purl_percentEncodesWhatIsNotUnreserved() {
        assertEquals("pkg:pypi/zope-interface@6.0", Purl.pypi("Zope.Interface", "6.0"));
        assertEquals("pkg:maven/g/a@1.0-SNAPSHOT", Purl.maven("g", "a", "1.0-SNAPSHOT"));
        assertEquals("pkg:generic/a%20b%C3%A9", Purl.generic("a bé", null));
    }
}

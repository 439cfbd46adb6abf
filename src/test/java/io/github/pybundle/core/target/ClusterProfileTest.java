package io.github.pybundle.core.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.spec.pep508.Requirement;
import io.github.pybundle.maven.PomWords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The built-in cluster profiles: each file is valid data that makes a valid target, and overriding them. */
class ClusterProfileTest {
    private static final Path DIRECTORY = Path.of("src/main/resources/io/github/pybundle/profiles");

    /** Every profile file in the source tree, by name. */
    static Stream<String> files() throws Exception {
        try (Stream<Path> list = Files.list(DIRECTORY)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList().stream();
        }
    }

    @Test
    void index_listsExactlyTheProfileFiles() throws Exception {
        assertEquals(files().collect(Collectors.toCollection(TreeSet::new)), new TreeSet<>(ClusterProfile.names()));
        assertEquals(ClusterProfile.names().size(), Set.copyOf(ClusterProfile.names()).size(), "duplicate names");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void eachProfile_parsesIntoAValidTargetWithItsSources(String name) throws Exception {
        ClusterProfile p = ClusterProfile.parse(name, Files.readAllBytes(DIRECTORY.resolve(name + ".json")));
        assertEquals(p, ClusterProfile.builtIn(name), "the class path copy differs from the source");
        Target t = Target.of(p.spec());
        assertEquals(p.pythonVersion(), t.major() + "." + t.minor());
        assertEquals(p.platforms().isEmpty() ? List.of("manylinux2014_x86_64") : p.platforms(), t.platforms());
        assertFalse(p.sources().isEmpty());
        for (ClusterProfile.Source s : p.sources()) {
            assertTrue(s.url().startsWith("https://") && !s.says().isBlank(), s.toString());
        }
        for (String provided : p.provided()) {
            Requirement r = Requirement.parse(provided);
            assertEquals(1, r.specifier().specifiers().size(), provided);
        }
        assertFalse(p.title().isBlank());
    }

    /** What each profile documents: a change to a profile file must change this table too. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "emr-6                   | 3.7  | manylinux_2_26_x86_64 | 3.4.1 | docs.aws.amazon.com",
        "emr-7                   | 3.9  | manylinux_2_34_x86_64 | 3.5   | docs.aws.amazon.com",
        "emr-serverless-7        | 3.9  | manylinux_2_34_x86_64 | 3.5   | docs.aws.amazon.com",
        "dataproc-serverless-1.1 | 3.10 | manylinux2014_x86_64  | 3.3.4 | cloud.google.com",
        "dataproc-serverless-1.2 | 3.12 | manylinux2014_x86_64  | 3.5.1 | cloud.google.com",
        "dataproc-serverless-2.2 | 3.12 | manylinux2014_x86_64  | 3.5.1 | cloud.google.com",
        "databricks-15.4         | 3.11 | manylinux2014_x86_64  | 3.5.0 | docs.databricks.com",
    })
    void eachProfile_givesTheDocumentedPythonPlatformAndSpark(String name, String python, String platform,
                                                                String spark, String host) {
        ClusterProfile p = ClusterProfile.builtIn(name);
        Target t = Target.of(p.spec());
        assertEquals(python, t.major() + "." + t.minor());
        assertEquals(List.of(platform), t.platforms());
        assertEquals("x86_64", t.markers().get("platform_machine"));
        assertEquals(spark, p.sparkVersion());
        assertTrue(p.sources().get(0).url().startsWith("https://" + host + "/"), p.sources().get(0).url());
    }

    @Test
    void theTableAboveCoversEveryProfile() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/github/pybundle/core/target/ClusterProfileTest.java"),
                StandardCharsets.UTF_8);
        for (String name : ClusterProfile.names()) {
            assertTrue(source.contains("\"" + name + " "), name + " has no row in the documented-values table");
        }
    }

    @Test
    void builtIn_refusesAnUnknownNameListingTheKnownOnes() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ClusterProfile.builtIn("emr-9"));
        assertEquals("target", e.setting());
        assertEquals("emr-9", e.value());
        String message = PomWords.render(e.getMessage());
        assertTrue(message.startsWith("<target><profile> 'emr-9' is not a known cluster profile; known: emr-6, emr-7"),
                message);
        String hint = PomWords.render(String.join("\n", e.hints()));
        assertTrue(hint.contains("mvn pybundle:profiles lists them"), hint);
        assertTrue(hint.contains("<target><profile>src/main/pybundle/profiles/NAME.json</profile></target>"), hint);
    }

    @Test
    void parse_refusesAProfileWithoutSourcesOrWithUnknownFields() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterProfile.parse("x",
                "{\"name\": \"x\", \"title\": \"X\", \"pythonVersion\": \"3.9\", \"sources\": []}"
                        .getBytes(StandardCharsets.UTF_8))).getMessage().contains("sources"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterProfile.parse("x",
                "{\"name\": \"x\", \"pyhtonVersion\": \"3.9\"}".getBytes(StandardCharsets.UTF_8))).getMessage()
                .contains("unknown field 'pyhtonVersion'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterProfile.parse("x",
                "{\"name\": \"y\"}".getBytes(StandardCharsets.UTF_8))).getMessage().contains("its name is 'y'"));
    }

    @Test
    void override_explicitElementsReplaceTheProfilesValues() {
        Target.Spec base = new Target.Spec("3.9", "3.9.16", "cp", List.of("cp39"), List.of("manylinux_2_34_x86_64"),
                Map.of("python_version", "3.9", "platform_machine", "x86_64", "platform_release", "6.1"));
        Target.Spec merged = ClusterProfile.override(base, new Target.Spec("3.11", null, null, List.of(),
                List.of(), Map.of("platform_version", "#1 SMP")));
        assertEquals("3.11", merged.pythonVersion());
        assertNull(merged.pythonFullVersion(), "a full version of another major.minor would not fit");
        assertEquals(List.of(), merged.abis(), "the profile's ABIs belong to its Python");
        assertEquals(List.of("manylinux_2_34_x86_64"), merged.platforms());
        assertEquals(Map.of("platform_machine", "x86_64", "platform_release", "6.1", "platform_version", "#1 SMP"),
                merged.markerEnvironment());
        Target t = Target.of(merged);
        assertEquals("cp311 / manylinux_2_34_x86_64", t.describe());
        assertEquals("3.11", t.markers().get("python_version"));

        Target.Spec arm = ClusterProfile.override(base, new Target.Spec(null, null, null, null,
                List.of("manylinux_2_34_aarch64"), null));
        assertEquals("3.9.16", arm.pythonFullVersion());
        assertEquals("aarch64", Target.of(arm).markers().get("platform_machine"));
        assertEquals(base, ClusterProfile.override(base, new Target.Spec(null, null, null, List.of(), List.of(),
                null)));
    }
}

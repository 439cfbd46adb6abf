package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.maven.PomWords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <target><profile>}: a built-in profile or a probe's output, overridden by explicit elements. */
class TargetRequestTest {
    private static final Target.Spec NONE = new Target.Spec(null, null, null, List.of(), List.of(), null);

    @TempDir
    Path dir;

    private static TargetRequest request(Target.Spec spec, Path environmentFile, List<String> provided,
                                         String profile) {
        return new TargetRequest(spec, environmentFile, provided, true, null, null, profile, List.of(), List.of());
    }

    @Test
    void aBuiltInProfile_fillsTheWholeTarget() throws Exception {
        TargetRequest r = request(NONE, null, List.of(), "emr-7");
        assertTrue(r.given());
        Target t = r.target();
        assertEquals("cp39 / manylinux_2_34_x86_64", t.describe());
        assertEquals("python_version == \"3.9\" and implementation_name == \"cpython\" and sys_platform == \"linux\""
                + " and platform_machine == \"x86_64\"", t.environmentMarker());
        assertEquals("3.5", r.sparkVersion());
        assertEquals(Map.of("py4j", "", "pyspark", ""), r.providedPackages());
        assertEquals("Target profile emr-7 (Amazon EMR 7.x on EC2 (Amazon Linux 2023, x86_64)): Python 3.9,"
                + " manylinux_2_34_x86_64, Spark 3.5, no provided packages; explicit <target> elements override it",
                PomWords.render(r.describeProfile()));
    }

    @Test
    void explicitElements_replaceTheProfilesValuesForThatElement() throws Exception {
        Target t = request(new Target.Spec("3.11", "3.11.6", null, null, List.of("manylinux_2_34_aarch64"), null),
                null, List.of(), "emr-7").target();
        assertEquals("cp311 / manylinux_2_34_aarch64", t.describe());
        assertEquals("3.11.6", t.fullVersion());
        assertEquals("aarch64", t.markers().get("platform_machine"));
        // Only the Python: the profile's platform stays.
        assertEquals("cp311 / manylinux_2_26_x86_64", request(new Target.Spec("3.11", null, null, null, null, null),
                null, List.of(), "emr-6").target().describe());
    }

    @Test
    void providedEntries_areAddedToTheProfilesAndWinForTheSamePackage() throws Exception {
        Path probe = probe("{\"numpy\": \"1.26.4\", \"pandas\": \"2.1.4\"}");
        TargetRequest r = request(NONE, null, List.of("numpy==2.0.2", "scipy==1.13.1"), probe.toString());
        assertEquals(Map.of("numpy", "2.0.2", "pandas", "2.1.4", "scipy", "1.13.1", "py4j", "", "pyspark", ""),
                r.providedPackages());
        assertNull(r.sparkVersion(), "a probe's output has no Spark version");
    }

    @Test
    void aProbesOutputAsProfile_isOverriddenByExplicitElements() throws Exception {
        Path probe = probe("{}");
        assertEquals("cp38 / manylinux_2_17_x86_64", request(NONE, null, List.of(), probe.toString()).target()
                .describe());
        Target t = request(new Target.Spec("3.10", null, null, null, null, null), null, List.of(), probe.toString())
                .target();
        assertEquals("cp310 / manylinux_2_17_x86_64", t.describe());
        assertEquals(List.of("cp310"), t.abis(), "the probe's cp38 ABI does not follow a new Python");
        assertEquals("3.10", t.markers().get("python_version"));
        assertEquals("3.10.0", t.markers().get("python_full_version"));
        assertEquals("5.4", t.markers().get("platform_release"), "what no element changes stays the probe's");
        assertTrue(PomWords.render(request(NONE, null, List.of(), probe.toString()).describeProfile())
                .startsWith("Target profile " + probe + " (a probe's output)"));
    }

    @Test
    void aMissingProbeFileAsProfile_isNamedAsTheProfile() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> request(NONE,
                null, List.of(), dir.resolve("gone.json").toString()).target());
        assertTrue(PomWords.render(e.getMessage()).startsWith("<target><profile> " + dir.resolve("gone.json")
                + " does not exist"), e.getMessage());
    }

    @Test
    void aProfileAndAnEnvironmentFile_areAnError() throws Exception {
        Path probe = probe("{}");
        TargetRequest r = request(NONE, probe, List.of(), "emr-7");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, r::target);
        assertEquals("target", e.setting());
        assertEquals("<target><profile> and <target><environmentFile> both describe the whole cluster; give one",
                PomWords.render(e.getMessage()));
        assertTrue(PomWords.render(e.hints().get(0)).contains("<target><profile>cluster.json</profile></target>"),
                e.hints().get(0));
        assertThrows(InvalidConfigurationException.class, r::providedPackages);
    }

    @Test
    void anUnknownProfile_isAnErrorPointingToTheProfilesGoal() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> request(NONE, null, List.of(), "hdp-2.6").target());
        assertTrue(PomWords.render(e.getMessage()).contains("'hdp-2.6' is not a known cluster profile; known: emr-6"),
                e.getMessage());
        assertTrue(PomWords.render(e.hints().get(0)).startsWith("mvn pybundle:profiles lists them"));
    }

    @Test
    void withoutAProfile_nothingChanges() throws Exception {
        TargetRequest r = new TargetRequest(new Target.Spec("3.8", null, null, null, null, null), null,
                List.of("numpy==1.24.4"), true, null, null);
        assertNull(r.profile());
        assertEquals("cp38 / manylinux2014_x86_64", r.target().describe());
        assertEquals("1.24.4", r.providedPackages().get("numpy"));
        assertNull(r.sparkVersion());
        assertEquals(false, new TargetRequest(NONE, null, List.of(), true, null, null, " ", List.of(), List.of()).given());
    }

    private Path probe(String distributions) throws Exception {
        return Files.writeString(dir.resolve("cluster.json"), "{\"probe\": 1, \"implementation\": \"cp\","
                + " \"python_version\": \"3.8\", \"python_full_version\": \"3.8.10\", \"abis\": [\"cp38\"],"
                + " \"platforms\": [\"manylinux_2_17_x86_64\"], \"markers\": {\"platform_release\": \"5.4\","
                + " \"python_version\": \"3.8\", \"python_full_version\": \"3.8.10\", \"platform_machine\": \"x86_64\"},"
                + " \"distributions\": " + distributions + "}");
    }
}

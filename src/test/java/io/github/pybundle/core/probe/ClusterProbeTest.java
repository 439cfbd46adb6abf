package io.github.pybundle.core.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.target.Interpreters;
import io.github.pybundle.core.target.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterProbeTest {
    @TempDir
    Path dir;

    /** Runs probe.py under one interpreter and reads its JSON back into a target. */
    @ParameterizedTest(name = "Python {0}")
    @ValueSource(strings = {"2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"})
    void probe_runsUnderEachLocalPythonAndBecomesATarget(String version) throws Exception {
        String[] mm = version.split("\\.");
        Path python = Interpreters.find(Integer.parseInt(mm[0]), Integer.parseInt(mm[1]),
                System.getenv());
        Assumptions.assumeTrue(python != null, "Skipped: no python" + version + " on PATH or in pyenv");
        Path script = ClusterProbe.write(dir.resolve("probe.py"));
        Process p = new ProcessBuilder(python.toString(), script.toString()).redirectError(
                ProcessBuilder.Redirect.INHERIT).start();
        byte[] json = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), new String(json, StandardCharsets.UTF_8));
        Path file = Files.write(dir.resolve("cluster.json"), json);
        ClusterProbe.Environment env = ClusterProbe.read(file);
        Target t = Target.of(env.spec());
        assertEquals(version, t.major() + "." + t.minor());
        assertTrue(t.fullVersion().startsWith(version + "."), t.fullVersion());
        assertEquals("cp", t.implementation());
        assertTrue(t.platforms().get(0).matches("manylinux_\\d+_\\d+_x86_64|musllinux_\\d+_\\d+_x86_64"),
                t.platforms().toString());
        String expectedAbi = version.equals("2.7") ? "cp27mu" : List.of("3.6", "3.7").contains(version)
                ? "cp3" + mm[1] + "m" : "cp" + mm[0] + mm[1];
        assertEquals(List.of(expectedAbi), t.abis());
        assertEquals("posix", t.markers().get("os_name"));
        assertEquals(1, env.nodeConfigurations());
    }

    @Test
    void read_refusesFilesThatAreNotAProbesOutput() throws Exception {
        Path other = Files.writeString(dir.resolve("x.json"), "{\"name\": \"not a probe\"}");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ClusterProbe.read(other));
        assertTrue(e.getMessage().contains("is not the output of pybundle's probe.py"), e.getMessage());
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> ClusterProbe.read(dir.resolve("no.json")))
                .getMessage().contains("does not exist"));
    }

    @Test
    void read_takesTheInstalledDistributionsAsProvided() throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"), "{\"probe\": 1, \"implementation\": \"cp\","
                + " \"python_version\": \"3.8\", \"python_full_version\": \"3.8.10\", \"abis\": [\"cp38\"],"
                + " \"platforms\": [\"manylinux_2_17_x86_64\"], \"markers\": {\"platform_release\": \"5.4\"},"
                + " \"distributions\": {\"numpy\": \"1.24.4\"}, \"nodes\": [{}, {}]}");
        ClusterProbe.Environment env = ClusterProbe.read(file);
        assertEquals("1.24.4", env.installed().get("numpy"));
        assertEquals(2, env.nodeConfigurations());
        assertEquals("5.4", Target.of(env.spec()).markers().get("platform_release"));
    }
}

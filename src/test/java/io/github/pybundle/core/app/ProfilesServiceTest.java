package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.target.ClusterProfile;
import io.github.pybundle.maven.PomWords;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code pybundle:profiles}: the table of profiles, and one profile in full. */
class ProfilesServiceTest {
    private final List<String> lines = new ArrayList<>();
    private final ProfilesService service = new ProfilesService((level, m) -> lines.add(PomWords.render(m)));

    @Test
    void list_showsEveryProfileWithPythonPlatformSparkProvidedAndSource() {
        service.list();
        assertEquals("Cluster profiles, for <target><profile>NAME</profile></target>:", lines.get(0));
        assertTrue(lines.get(1).matches("  PROFILE +PYTHON +PLATFORM +SPARK +PROVIDED +SOURCE"), lines.get(1));
        String emr7 = lines.stream().filter(l -> l.startsWith("  emr-7 ")).findFirst().orElseThrow();
        assertTrue(emr7.matches("  emr-7 +3\\.9 +manylinux_2_34_x86_64 +3\\.5 +0 +https://docs\\.aws\\.amazon\\.com/\\S+"
                + " \\(\\+2\\)"), emr7);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  databricks-15.4 ") && l.contains(
                "manylinux2014_x86_64 (default)")), String.join("\n", lines));
        assertEquals(2 + ClusterProfile.names().size() + 2, lines.size());
        assertTrue(lines.get(lines.size() - 2).contains("mvn pybundle:profiles -Dpybundle.profile=NAME"));
    }

    @Test
    void show_givesEverySourceWithWhatItSaysAndTheNotes() {
        ClusterProfile p = service.show("emr-6");
        assertEquals("emr-6: " + p.title(), lines.get(0));
        assertTrue(lines.contains("  Platform: manylinux_2_26_x86_64, Amazon Linux 2 (glibc 2.26)"), lines.toString());
        for (ClusterProfile.Source s : p.sources()) {
            assertTrue(lines.contains("    " + s.url()) && lines.contains("      " + s.says()), s.url());
        }
        assertTrue(lines.contains("  Notes:"));
        assertThrows(InvalidConfigurationException.class, () -> service.show("nope"));
    }
}

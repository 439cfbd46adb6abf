package io.github.pybundle.core.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.requirements.PyprojectFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wheel's name and version: the pom's, else pyproject.toml's, which may not contradict the build's version. */
class IdentityTest {
    @TempDir
    Path dir;

    private PyprojectFile pyproject(String project) throws Exception {
        Path f = dir.resolve("pyproject.toml");
        Files.writeString(f, "[project]\n" + project);
        return PyprojectFile.parse(f);
    }

    private static ProjectPackager.Identity maven(String explicitName, String version, String explicitVersion) {
        return new ProjectPackager.Identity(explicitName, version, explicitVersion, "artifact-id", null);
    }

    @Test
    void pyprojectNameAndVersion_areUsedWhenThePomSetsNone() throws Exception {
        ProjectPackager.Identity id = maven(null, "0.3.0", null).withPyproject(pyproject(
                "name = \"pyway-app\"\nversion = \"0.3.0\"\n"));
        assertEquals("pyway-app", id.name().toString());
        assertEquals("0.3.0", id.version().toString());
        // Without a pyproject name: the artifactId.
        assertEquals("artifact-id", maven(null, "0.3.0", null).withPyproject(pyproject("version = \"0.3\"\n"))
                .name().toString());
        // The pom's explicit values win.
        ProjectPackager.Identity pom = maven("from-pom", "1.0.0-SNAPSHOT", "1.0.0rc1").withPyproject(pyproject(
                "name = \"pyway-app\"\nversion = \"0.3.0\"\n"));
        assertEquals("from-pom", pom.name().toString());
        assertEquals("1.0.0rc1", pom.version().toString());
    }

    @Test
    void aStaticVersionThatDiffersFromTheBuildsIsAnErrorNamingBoth() throws Exception {
        PyprojectFile f = pyproject("name = \"pyway-app\"\nversion = \"0.3.0\"\n");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> maven(null, "1.0.0-SNAPSHOT", null).withPyproject(f).version());
        assertEquals(f.file() + ": [project] version '0.3.0' differs from the project's version 1.0.0-SNAPSHOT"
                + " (1.0.0.dev0 in PEP 440)", e.getMessage());
        assertEquals("make them agree, or write dynamic = [\"version\"] in [project] to take the build's version, or"
                + " set {@distributionVersion}", e.hints().get(0));
        // PEP 440 equality, not text: 1.0 is 1.0.0.
        assertEquals("1.0", maven(null, "1.0.0", null).withPyproject(pyproject("name = \"a\"\nversion = \"1.0\"\n"))
                .version().toString());
        // dynamic = ["version"]: the build's.
        assertEquals("1.0.0.dev0", maven(null, "1.0.0-SNAPSHOT", null).withPyproject(pyproject(
                "name = \"a\"\ndynamic = [\"version\"]\n")).version().toString());
    }

    @Test
    void anInvalidPyprojectNameIsReportedAsPyprojects() throws Exception {
        PyprojectFile f = pyproject("name = \"not valid!\"\n");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> maven(null, "1.0", null).withPyproject(f).name());
        assertEquals(f.file() + ": [project] name 'not valid!' is not a valid Python distribution name",
                e.getMessage());
    }
}

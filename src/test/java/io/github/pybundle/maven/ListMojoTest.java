package io.github.pybundle.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@MojoTest
class ListMojoTest {
    @TempDir
    Path dir;

    @Test
    @InjectMojo(goal = "list", pom = "src/test/resources/unit/bundle/pom.xml")
    void execute_withoutABundleSaysToRunMavenPackage(ListMojo mojo) throws Exception {
        setVariableValueToObject(mojo, "outputDirectory", dir.resolve("target").toFile());
        setVariableValueToObject(mojo, "lockFile", dir.resolve("pylock.toml").toFile());
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("there is no bundle to list: " + dir.resolve(
                "target/pybundle/wordcount-2.0-pyfiles.zip") + " is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("\n  hint: build it first: mvn package"), e.getMessage());
    }
}

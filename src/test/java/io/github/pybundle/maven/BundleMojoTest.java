package io.github.pybundle.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.testing.SourceTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@MojoTest
class BundleMojoTest {
    private static final String POM = "src/test/resources/unit/bundle/pom.xml";

    @TempDir
    Path dir;

    private void pointAt(BundleMojo mojo, Path src) throws Exception {
        HarnessProjects.pointAt(mojo, src, dir.resolve("target"));
    }

    @Test
    @InjectMojo(goal = "bundle", pom = POM)
    void execute_writesZipLauncherAndMainScriptAndAttachesTheZip(BundleMojo mojo) throws Exception {
        pointAt(mojo, SourceTrees.sample(dir));
        mojo.execute();
        Path zip = dir.resolve("target/wordcount-2.0-pyfiles.zip");
        assertTrue(Files.isRegularFile(zip));
        assertTrue(Files.isExecutable(dir.resolve("target/pybundle/spark-submit.sh")));
        assertEquals(Files.readString(dir.resolve("src/main/python/main.py")),
                Files.readString(dir.resolve("target/pybundle/main.py")));
        Artifact attached = mojo.project.getAttachedArtifacts().stream()
                .filter(a -> "pyfiles".equals(a.getClassifier())).findFirst().orElseThrow();
        assertTrue(mojo.project.getAttachedArtifacts().stream().anyMatch(a -> "spark-submit".equals(a.getClassifier())
                && "sh".equals(a.getType())));
        assertEquals("pyfiles", attached.getClassifier());
        assertEquals("zip", attached.getType());
        assertEquals(zip.toFile(), attached.getFile());
    }

    @Test
    @InjectMojo(goal = "bundle", pom = POM)
    void execute_failsOnAMissingMainScriptNamingTheElementAndWritesNothing(BundleMojo mojo) throws Exception {
        Path src = SourceTrees.sample(dir);
        Files.delete(src.resolve("main.py"));
        pointAt(mojo, src);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("<mainScript>: the main script " + src.resolve("main.py")
                + " does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("\n  hint: create it"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("target")));
    }

    @Test
    @InjectMojo(goal = "bundle", pom = POM)
    void execute_refusesAMainScriptThatIsNotPython(BundleMojo mojo) throws Exception {
        Path src = SourceTrees.sample(dir);
        pointAt(mojo, src);
        Path jar = SourceTrees.write(dir, "app.jar", "PK");
        setVariableValueToObject(mojo, "mainScript", jar.toFile());
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("does not end in .py"), e.getMessage());
    }
}

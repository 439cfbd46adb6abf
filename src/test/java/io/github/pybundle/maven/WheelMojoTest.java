package io.github.pybundle.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.testing.SourceTrees;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@MojoTest
class WheelMojoTest {
    private static final String POM = "src/test/resources/unit/wheel/pom.xml";

    @TempDir
    Path dir;

    private void pointAt(WheelMojo mojo, Path src) throws Exception {
        HarnessProjects.pointAt(mojo, src, dir.resolve("target"));
    }

    @Test
    @InjectMojo(goal = "wheel", pom = POM)
    void configuration_isReadFromThePomWithConventionalDefaults(WheelMojo mojo) {
        assertEquals("my-lib", mojo.distributionName);
        assertEquals("3.0b1", mojo.distributionVersion);
        assertFalse(mojo.attach);
        assertFalse(mojo.skip);
        File basedir = mojo.project.getBasedir();
        assertEquals(new File(basedir, "src/main/python"), mojo.pythonSourceDirectory);
        assertEquals(new File(basedir, "src/main/python/main.py"), mojo.mainScript);
    }

    @Test
    @InjectMojo(goal = "wheel", pom = POM)
    @MojoParameter(name = "attach", value = "true")
    void execute_buildsTheWheelAndAttachesItAsTypeWhl(WheelMojo mojo) throws Exception {
        pointAt(mojo, SourceTrees.sample(dir));
        mojo.execute();
        Path wheel = dir.resolve("target/my_lib-3.0b1-py3-none-any.whl");
        assertTrue(Files.isRegularFile(wheel));
        Artifact attached = mojo.project.getAttachedArtifacts().get(0);
        assertEquals("whl", attached.getType());
        assertEquals(null, attached.getClassifier());
        assertEquals(wheel.toFile(), attached.getFile());
    }

    @Test
    @InjectMojo(goal = "wheel", pom = POM)
    @MojoParameter(name = "skip", value = "true")
    void skip_writesNothing(WheelMojo mojo) throws Exception {
        pointAt(mojo, SourceTrees.sample(dir));
        mojo.execute();
        assertFalse(Files.exists(dir.resolve("target")));
    }

    @Test
    @InjectMojo(goal = "wheel", pom = POM)
    @MojoParameter(name = "distributionVersion", value = "3.0-final-x")
    void execute_reportsABadDistributionVersionByItsElement(WheelMojo mojo) throws Exception {
        pointAt(mojo, SourceTrees.sample(dir));
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("<distributionVersion>: '3.0-final-x' is not a valid PEP 440 version"),
                e.getMessage());
    }
}

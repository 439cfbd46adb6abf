package io.github.pybundle.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        // Every output is attached once, with its type (the classifier alone does not say it is the zip).
        assertEquals(List.of("spark-submit:sh", "launch:json", "pyfiles:zip", "spark-app:tar.gz", "cyclonedx:json"),
                mojo.project.getAttachedArtifacts().stream().map(a -> a.getClassifier() + ":" + a.getType()).toList());
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

    private static Artifact attached(BundleMojo mojo, String classifier) {
        return mojo.project.getAttachedArtifacts().stream().filter(a -> classifier.equals(a.getClassifier()))
                .findFirst().orElseThrow(() -> new AssertionError("nothing attached as " + classifier));
    }

    @Test
    @InjectMojo(goal = "bundle", pom = POM)
    void execute_writesAndAttachesTheSbomAlsoWhenTheBundleIsReused(BundleMojo mojo) throws Exception {
        pointAt(mojo, SourceTrees.sample(dir));
        Path wheel = dir.resolve("repo/helpers-1.0.whl"); // as a Maven repository names it
        java.nio.file.Files.createDirectories(wheel.getParent());
        Files.write(wheel, TestWheels.build(TestWheels.pure("helpers", "1.0"), "License-Expression: MIT\n"));
        org.apache.maven.artifact.DefaultArtifact dep = new org.apache.maven.artifact.DefaultArtifact("com.example",
                "helpers", "1.0", "runtime", "whl", null, new org.apache.maven.artifact.handler.DefaultArtifactHandler(
                "whl"));
        dep.setFile(wheel.toFile());
        mojo.project.setArtifacts(java.util.Set.of(dep));
        TargetConfig target = new TargetConfig();
        target.pythonVersion = "3.11";
        setVariableValueToObject(mojo, "target", target);
        mojo.execute();
        Path bom = dir.resolve("target/wordcount-2.0-bom.json");
        Artifact a = attached(mojo, "cyclonedx");
        assertEquals("json", a.getType());
        assertEquals(bom.toFile(), a.getFile());
        JsonNode doc = new ObjectMapper().readTree(bom.toFile());
        assertEquals("pkg:maven/io.github.pybundle.test/harness-project@1.0-SNAPSHOT",
                doc.at("/metadata/component/purl").asText());
        assertEquals("2024-01-01T00:00:00Z", doc.at("/metadata/timestamp").asText());
        assertEquals(1, doc.get("components").size());
        assertEquals("pkg:pypi/helpers@1.0", doc.at("/components/0/purl").asText());
        assertEquals("MIT", doc.at("/components/0/licenses/0/expression").asText());
        byte[] first = Files.readAllBytes(bom);

        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(bom, old);
        Path app = dir.resolve("target/wordcount-2.0-spark-app.tar.gz");
        Files.setLastModifiedTime(app, old);
        mojo.project.getAttachedArtifacts().clear();
        mojo.execute(); // unchanged: the bundle, its SBOM and the spark-app are reused (not rewritten), attached again
        assertEquals(bom.toFile(), attached(mojo, "cyclonedx").getFile());
        assertEquals(old, Files.getLastModifiedTime(bom));
        assertEquals(app.toFile(), attached(mojo, "spark-app").getFile());
        assertEquals("tar.gz", attached(mojo, "spark-app").getType());
        assertEquals(old, Files.getLastModifiedTime(app));

        Files.delete(bom);
        mojo.project.getAttachedArtifacts().clear();
        mojo.execute(); // a missing SBOM means a rebuild
        assertEquals(-1L, Files.mismatch(bom, writeTo(dir.resolve("first.json"), first)));
    }

    @Test
    @InjectMojo(goal = "bundle", pom = POM)
    void execute_mergesAPyfilesZipDependencyIntoThePyFilesZip(BundleMojo mojo) throws Exception {
        pointAt(mojo, SourceTrees.sample(dir));
        Path other = dir.resolve("repo/common-1.0-pyfiles.zip"); // another module's py-files zip
        Files.createDirectories(other.getParent());
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(other))) {
            z.putNextEntry(new java.util.zip.ZipEntry("common/__init__.py"));
            z.write("C = 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            z.closeEntry();
        }
        org.apache.maven.artifact.DefaultArtifact dep = new org.apache.maven.artifact.DefaultArtifact("com.example",
                "common", "1.0", "compile", "zip", "pyfiles", new org.apache.maven.artifact.handler
                .DefaultArtifactHandler("zip"));
        dep.setFile(other.toFile());
        mojo.project.setArtifacts(java.util.Set.of(dep));
        mojo.execute();
        assertTrue(io.github.pybundle.testing.ZipContents.names(dir.resolve("target/wordcount-2.0-pyfiles.zip"))
                .contains("common/__init__.py"));

        dep.setFile(dir.resolve("repo/missing.zip").toFile());
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("<dependencies>: the pyfiles zip dependency com.example:common:zip:"
                + "pyfiles:1.0 resolved to "), e.getMessage());
    }

    private static Path writeTo(Path file, byte[] bytes) throws java.io.IOException {
        return Files.write(file, bytes);
    }
}

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

    /**
     * Every output has the usual mode whatever the inputs' or the temporary files' (created rw-------): inputs made
     * rw------- here would leak into any copy that keeps its source's mode.
     */
    @Test
    @InjectMojo(goal = "bundle", pom = POM)
    void execute_writesEveryOutputRwRR_andTheLauncherRwxRxRx(BundleMojo mojo) throws Exception {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> privateMode = java.nio.file.attribute
                .PosixFilePermissions.fromString("rw-------");
        try (io.github.pybundle.testing.TestIndexServer index = new io.github.pybundle.testing.TestIndexServer()) {
            index.add(TestWheels.pure("modes-dep", "1.0"));
            Path src = SourceTrees.sample(dir);
            pointAt(mojo, src);
            // A native wheel from Maven (the environment archive) that needs a package from the index (the lock).
            Path wheel = dir.resolve("repo/fast-1.0.whl");
            Files.createDirectories(wheel.getParent());
            Files.write(wheel, TestWheels.build(new TestWheels.Spec("fast", "1.0", "cp311-cp311-manylinux_2_17_x86_64",
                    List.of("modes-dep"), null, java.util.Map.of("fast/_c.cpython-311-x86_64-linux-gnu.so", "ELF"))));
            Path jar = Files.write(dir.resolve("repo/app-1.0.jar"), new byte[] {'P', 'K'});
            Path data = Files.writeString(dir.resolve("repo/lookup.csv"), "a,b\n");
            Path other = dir.resolve("repo/common-1.0-pyfiles.zip");
            try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(other))) {
                z.putNextEntry(new java.util.zip.ZipEntry("common/__init__.py"));
                z.closeEntry();
            }
            try (java.util.stream.Stream<Path> inputs = Files.walk(dir)) {
                for (Path p : inputs.filter(Files::isRegularFile).toList()) {
                    Files.setPosixFilePermissions(p, privateMode);
                }
            }
            org.apache.maven.artifact.DefaultArtifact whl = new org.apache.maven.artifact.DefaultArtifact(
                    "com.example", "fast", "1.0", "runtime", "whl", null,
                    new org.apache.maven.artifact.handler.DefaultArtifactHandler("whl"));
            whl.setFile(wheel.toFile());
            org.apache.maven.artifact.DefaultArtifact zip = new org.apache.maven.artifact.DefaultArtifact(
                    "com.example", "common", "1.0", "compile", "zip", "pyfiles",
                    new org.apache.maven.artifact.handler.DefaultArtifactHandler("zip"));
            zip.setFile(other.toFile());
            mojo.project.setArtifacts(new java.util.LinkedHashSet<>(List.of(whl, zip)));
            TargetConfig target = new TargetConfig();
            target.pythonVersion = "3.11";
            setVariableValueToObject(mojo, "target", target);
            setVariableValueToObject(mojo, "indexUrl", index.indexUrl());
            setVariableValueToObject(mojo, "cacheDirectory", dir.resolve("cache").toFile());
            setVariableValueToObject(mojo, "lockFile", dir.resolve("pylock.toml").toFile());
            SparkConfig spark = new SparkConfig();
            spark.jars = List.of(jar.toString());
            spark.files = List.of(data.toFile());
            spark.remoteDir = "hdfs:///apps/wordcount/2.0"; // livy-batch.json and spark-application.yaml too
            setVariableValueToObject(mojo, "spark", spark);
            new io.github.pybundle.core.project.ProjectPackager(io.github.pybundle.core.event.BuildListener.silent())
                    .buildWheel(new io.github.pybundle.core.project.ProjectPackager.WheelRequest(src,
                    src.resolve("main.py"), new io.github.pybundle.core.project.ProjectPackager.Identity("wordcount",
                    "2.0", null), null, null, null, dir.resolve("target"), java.time.Instant.parse(
                    "2024-01-01T00:00:00Z"), io.github.pybundle.core.requirements.DeclaredRequirements.collect(
                    new io.github.pybundle.core.requirements.DeclaredRequirements.Request(List.of(), List.of(),
                    List.of(), null, false, List.of(), List.of(), java.util.Map.of()))));
            mojo.execute();
        }
        java.util.Map<String, String> modes = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> outputs = Files.walk(dir.resolve("target"))) {
            for (Path p : outputs.filter(Files::isRegularFile).toList()) {
                modes.put(dir.resolve("target").relativize(p).toString(), java.nio.file.attribute.PosixFilePermissions
                        .toString(Files.getPosixFilePermissions(p)));
            }
        }
        modes.put("../pylock.toml", java.nio.file.attribute.PosixFilePermissions.toString(Files
                .getPosixFilePermissions(dir.resolve("pylock.toml"))));
        for (String expected : List.of("wordcount-2.0-py3-none-any.whl", "wordcount-2.0-pyfiles.zip",
                "wordcount-2.0-pyenv.tar.gz", "wordcount-2.0-bom.json", "wordcount-2.0-spark-app.tar.gz",
                "pybundle/spark-submit.sh", "pybundle/launch.json", "pybundle/livy-batch.json",
                "pybundle/spark-application.yaml", "pybundle/emr-serverless-job.json", "pybundle/dataproc-batch.json",
                "pybundle/main.py", "pybundle/probe.py",
                "pybundle/wordcount-2.0-pyfiles.zip", "pybundle/wordcount-2.0-pyenv.tar.gz", "pybundle/jars/app-1.0.jar",
                "pybundle/files/lookup.csv", "pybundle/maven-wheels/fast-1.0-cp311-cp311-manylinux_2_17_x86_64.whl",
                "pybundle/bundle.inputs.sha256", "../pylock.toml")) {
            assertTrue(modes.containsKey(expected), expected + " is missing from " + modes.keySet());
        }
        modes.forEach((file, mode) -> assertEquals(file.endsWith(".sh") ? "rwxr-xr-x" : "rw-r--r--", mode, file));
    }

    private Artifact jarDependency(String artifactId, String scope) throws Exception {
        org.apache.maven.artifact.DefaultArtifact a = new org.apache.maven.artifact.DefaultArtifact("com.example",
                artifactId, "1.0", scope, "jar", null, new org.apache.maven.artifact.handler.DefaultArtifactHandler(
                "jar"));
        Path f = dir.resolve("repo/" + artifactId + "-1.0.jar");
        Files.createDirectories(f.getParent());
        a.setFile(Files.write(f, new byte[] {'P', 'K'}).toFile());
        return a;
    }

    private List<String> shippedJars() throws Exception {
        List<String> jars = new java.util.ArrayList<>();
        new ObjectMapper().readTree(dir.resolve("target/pybundle/launch.json").toFile()).get("jars")
                .forEach(j -> jars.add(j.asText()));
        return jars;
    }

    @Test
    @InjectMojo(goal = "bundle", pom = POM)
    void jars_shipTheProjectsJarAndItsCompileAndRuntimeJarsButNotProvidedOrTestOnes(BundleMojo mojo) throws Exception {
        pointAt(mojo, SourceTrees.sample(dir));
        org.apache.maven.artifact.DefaultArtifact own = new org.apache.maven.artifact.DefaultArtifact(
                "io.github.pybundle.test", "harness-project", "1.0-SNAPSHOT", "compile", "jar", null,
                new org.apache.maven.artifact.handler.DefaultArtifactHandler("jar"));
        own.setFile(Files.write(dir.resolve("target-own.jar"), new byte[] {'P', 'K'}).toFile());
        mojo.project.setArtifact(own);
        Artifact direct = jarDependency("connector", "compile");
        Artifact transitive = jarDependency("connector-core", "runtime"); // a dependency of the connector
        transitive.setDependencyTrail(List.of("io.github.pybundle.test:harness-project:jar:1.0-SNAPSHOT",
                "com.example:connector:jar:1.0", "com.example:connector-core:jar:1.0"));
        Artifact spark = jarDependency("spark-sql", "provided");
        Artifact junit = jarDependency("junit", "test");
        org.apache.maven.artifact.DefaultArtifact pom = new org.apache.maven.artifact.DefaultArtifact("com.example",
                "bom", "1.0", "compile", "pom", null, new org.apache.maven.artifact.handler.DefaultArtifactHandler(
                "pom"));
        mojo.project.setArtifacts(new java.util.LinkedHashSet<>(List.of(direct, spark, transitive, junit, pom)));
        mojo.execute();
        assertEquals(List.of("jars/target-own.jar", "jars/connector-1.0.jar", "jars/connector-core-1.0.jar"),
                shippedJars());

        SparkConfig only = new SparkConfig();
        only.shipJars = false;
        only.jars = List.of("com.example:connector:1.0");
        setVariableValueToObject(mojo, "spark", only);
        mojo.execute();
        assertEquals(List.of("jars/connector-1.0.jar"), shippedJars(), "<shipJars>false: only <jars>");

        only.jars = List.of("com.example:absent:1.0");
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("<spark><jars> names com.example:absent:1.0, which is not a"
                + " dependency of the project"), e.getMessage());
    }

    private static Path writeTo(Path file, byte[] bytes) throws java.io.IOException {
        return Files.write(file, bytes);
    }
}

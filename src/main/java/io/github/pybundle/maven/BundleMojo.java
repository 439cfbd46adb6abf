package io.github.pybundle.maven;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.app.BundleService;
import io.github.pybundle.core.app.JitFocus;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.bundle.PyFilesZipBuilder;
import io.github.pybundle.core.lock.BuildWheels;
import io.github.pybundle.core.project.ProjectPackager;
import io.github.pybundle.core.sbom.Component;
import io.github.pybundle.core.sbom.Purl;
import io.github.pybundle.core.wheel.WheelChecks;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Builds the deployment bundle: <code>target/{finalName}-pyfiles.zip</code> for {@code spark-submit --py-files}
 * (attached with classifier {@code pyfiles}), the launcher {@code target/pybundle/spark-submit.sh}, the whole
 * application as one archive <code>target/{finalName}-spark-app.tar.gz</code> (attached with type {@code tar.gz} and
 * classifier {@code spark-app}; unpacked anywhere, its {@code spark-submit.sh} runs), and the CycloneDX SBOM
 * <code>target/{finalName}-bom.json</code> (attached with type {@code json} and classifier {@code cyclonedx}).
 *
 * @since 0.1.0
 */
@Mojo(name = "bundle", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class BundleMojo extends AbstractProjectMojo {
    /** Base name of the outputs. */
    @Parameter(defaultValue = "${project.build.finalName}", readonly = true, required = true)
    protected String finalName;

    /**
     * Re-resolve and rewrite the lock instead of failing when it no longer matches the requirements or target.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.updateLock", defaultValue = "false")
    protected boolean updateLock;

    /**
     * Where dependency wheels go: {@code auto} puts pure wheels in the py-files zip and wheels with compiled code in
     * the environment archive; {@code pyfiles} puts everything in the zip (compiled code is then an error);
     * {@code environment} puts every dependency in the archive.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.layout", defaultValue = "auto")
    protected String layout;

    /**
     * The environment archive's format: {@code tar.gz} or {@code zip}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.archiveFormat", defaultValue = "tar.gz")
    protected String archiveFormat;

    /**
     * Packages to leave out of the bundle even though the lock has them (a warning names what still needs them).
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.excludes")
    protected List<String> excludes;

    /**
     * How the generated launchers run the application: {@code <master>} (local[*]), {@code <deployMode>} (client),
     * {@code <conf>}, {@code <files>}, {@code <args>}, {@code <remoteDir>} (then livy-batch.json,
     * spark-application.yaml with {@code <image>} and {@code <version>} (default: the Spark version of
     * {@code <target><profile>}), emr-serverless-job.json and dataproc-batch.json are written too, and
     * spark-submit.sh uploads each file there once, by content), {@code <publicCache>}.
     *
     * @since 0.1.0
     */
    @Parameter
    protected SparkConfig spark;

    /**
     * Model files, or directories of them (every file inside, recursively; hidden ones left out), e.g.
     * {@code <model>src/main/models</model>}: shipped like {@code <spark><files>} (readable on the driver and the
     * executors under their file name), and pickle, joblib and skops files are checked against the lock's versions.
     *
     * @since 0.2.0
     */
    @Parameter
    protected List<File> models;

    /**
     * The most one dependency wheel may inflate to (zip-bomb guard), e.g. {@code 8GiB}. Every entry's declared size
     * is checked against its content, so a wheel cannot claim less than it holds.
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.maxInflatedWheelSize", defaultValue = "8GiB")
    protected String maxInflatedWheelSize;

    /**
     * The most all the dependency wheels of one output (the py-files zip, the environment archive) may inflate to.
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.maxInflatedBundleSize", defaultValue = "32GiB")
    protected String maxInflatedBundleSize;

    /**
     * On a machine with at most 2 processors, while a bundle is built from scratch, HotSpot's optimising compiler
     * works only for the JDK's cryptography, and its quick compiler alone for the rest (about half a second less for
     * a cold build of pandas, scikit-learn and pyarrow on 2 cores, where the optimising compiler otherwise takes a
     * core from the build). Undone when the goal ends; done only when this project is the last one of a build that
     * runs one project at a time, from the {@code mvn} command (not in the Maven daemon, Maven's shell or an IDE),
     * naming only lifecycle phases and pybundle goals, since the methods compiled meanwhile stay compiled that way in
     * this JVM. {@code false} never does it.
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.jitFocus", defaultValue = "true")
    protected boolean jitFocus;

    @Override
    protected void doExecute() throws Exception {
        BundleService.Outcome o = new BundleService(listener(), timer).withJitFocus(jitFocusApplies())
                .bundle(bundleRequest(), indexSource());
        attachOutputs(o, EnvironmentArchiveBuilder.Format.parse(archiveFormat));
    }

    /** Whether {@code <jitFocus>} is on, this machine one it helps on, and nothing else built in this JVM. */
    boolean jitFocusApplies() {
        return jitFocus && JitFocus.worthwhile(Runtime.getRuntime().availableProcessors())
                && OnlyBuildInJvm.test(session, project);
    }

    /** The bundle this project's configuration describes. */
    protected BundleService.Request bundleRequest() {
        return new BundleService.Request(dependencyRequest(), pythonSourceDirectory.toPath(), mainScript.toPath(),
                project.getArtifactId(), outputDirectory.toPath(), finalName, timestamp(),
                ProjectPackager.Layout.parse(layout), EnvironmentArchiveBuilder.Format.parse(archiveFormat), excludes,
                sparkSpec(), wheelDependencies(), pyFilesZipDependencies(), updateLock,
                WheelChecks.parseSize("maxInflatedWheelSize", maxInflatedWheelSize),
                WheelChecks.parseSize("maxInflatedBundleSize", maxInflatedBundleSize), subject(),
                models == null ? List.of() : models.stream().map(File::toPath).toList());
    }

    /** The SBOM's subject: this Maven project. */
    private Component subject() {
        return Component.of(Component.Type.APPLICATION, project.getGroupId(), project.getArtifactId(),
                project.getVersion(), Purl.maven(project.getGroupId(), project.getArtifactId(), project.getVersion()));
    }

    /** Wheels the pom depends on ({@code <type>whl</type>}), resolved by Maven (the reactor or a repository). */
    private List<BuildWheels.Wheel> wheelDependencies() {
        List<BuildWheels.Wheel> out = new ArrayList<>();
        for (Artifact a : project.getArtifacts()) {
            if ("whl".equals(a.getType()) && a.getFile() != null) {
                Path f = a.getFile().toPath();
                if (!f.getFileName().toString().endsWith(".whl") || !Files.isRegularFile(f)) {
                    throw new InvalidConfigurationException("dependencies", a.getId(), "the whl dependency " + a.getId()
                            + " resolved to " + f + ", which is not a wheel file", "build it with pybundle:wheel in"
                            + " the same reactor (mvn package from the parent) or install it first");
                }
                out.add(new BuildWheels.Wheel(f, a.getId()));
            }
        }
        return out;
    }

    /**
     * Py-files zips the pom depends on ({@code <type>zip</type><classifier>pyfiles</classifier>}, e.g. another
     * module's bundle), resolved by Maven; merged into this project's py-files zip.
     */
    private List<PyFilesZipBuilder.ZipDependency> pyFilesZipDependencies() {
        List<PyFilesZipBuilder.ZipDependency> out = new ArrayList<>();
        for (Artifact a : project.getArtifacts()) {
            if ("zip".equals(a.getType()) && "pyfiles".equals(a.getClassifier())) {
                if (a.getFile() == null || !Files.isRegularFile(a.getFile().toPath())) {
                    throw new InvalidConfigurationException("dependencies", a.getId(), "the pyfiles zip dependency "
                            + a.getId() + " resolved to " + a.getFile() + ", which is not a zip file", "build it with"
                            + " pybundle:bundle in the same reactor (mvn package from the parent) or install it"
                            + " first");
                }
                out.add(new PyFilesZipBuilder.ZipDependency(a.getFile().toPath(), a.getId()));
            }
        }
        return out;
    }

    private ProjectPackager.SparkSpec sparkSpec() {
        SparkConfig c = spark == null ? new SparkConfig() : spark;
        List<String> files = new ArrayList<>();
        if (c.files != null) {
            c.files.forEach(f -> files.add(f.getAbsolutePath()));
        }
        // The pom's Spark version, else the one the target's profile documents.
        String version = c.version != null && !c.version.isBlank() ? c.version : profileSparkVersion();
        return new ProjectPackager.SparkSpec(c.master, c.deployMode, c.conf, files, c.args, c.remoteDir, c.image,
                version, jars(c), c.publicCache);
    }

    /**
     * The JARs the application needs on Spark: the project's own (when it builds one) and its compile and runtime
     * JAR dependencies (Spark itself is {@code provided}), unless {@code <shipJars>} is false; then {@code <jars>}.
     */
    private List<String> jars(SparkConfig c) {
        List<String> out = new ArrayList<>();
        if (c.shipJars) {
            File own = project.getArtifact() == null ? null : project.getArtifact().getFile();
            if (own != null && own.isFile() && own.getName().endsWith(".jar")) {
                out.add(own.getAbsolutePath());
            }
            for (Artifact a : project.getArtifacts()) {
                if ("jar".equals(a.getType()) && a.getFile() != null && (Artifact.SCOPE_COMPILE.equals(a.getScope())
                        || Artifact.SCOPE_RUNTIME.equals(a.getScope()))) {
                    out.add(a.getFile().getAbsolutePath());
                }
            }
        }
        for (String j : c.jars == null ? List.<String>of() : c.jars) {
            String[] gav = j.strip().split(":");
            if (gav.length == 3 && !j.contains("/") && !j.contains("\\")) {
                Artifact a = project.getArtifacts().stream().filter(x -> x.getGroupId().equals(gav[0])
                        && x.getArtifactId().equals(gav[1]) && x.getVersion().equals(gav[2])).findFirst()
                        .orElseThrow(() -> new InvalidConfigurationException("spark", j, "<spark><jars> names " + j
                                + ", which is not a dependency of the project", "add it as a <dependency>, or give"
                                + " the JAR's path"));
                out.add(a.getFile().getAbsolutePath());
            } else {
                File f = new File(j.strip());
                out.add((f.isAbsolute() || project.getBasedir() == null ? f : new File(project.getBasedir(),
                        j.strip())).getAbsolutePath());
            }
        }
        return out.stream().distinct().toList();
    }

    private void attachOutputs(BundleService.Outcome o, EnvironmentArchiveBuilder.Format format) {
        Path launch = o.launchDirectory();
        attach("sh", "spark-submit", launch.resolve("spark-submit.sh").toFile());
        attach("json", "launch", launch.resolve("launch.json").toFile());
        for (String[] d : new String[][] {{"livy-batch.json", "json", "livy-batch"},
            {"spark-application.yaml", "yaml", "spark-application"},
            {"emr-serverless-job.json", "json", "emr-serverless-job"}, {"dataproc-batch.json", "json",
                "dataproc-batch"}}) {
            if (Files.isRegularFile(launch.resolve(d[0]))) {
                attach(d[1], d[2], launch.resolve(d[0]).toFile());
            }
        }
        attach("zip", "pyfiles", o.pyFilesZip().toFile());
        if (o.environmentArchive() != null) {
            attach(format == EnvironmentArchiveBuilder.Format.ZIP ? "zip" : "tar.gz", "pyenv",
                    o.environmentArchive().toFile());
        }
        attach("tar.gz", "spark-app", o.sparkApp().toFile());
        attach("json", "cyclonedx", o.sbom().toFile());
    }

    @Override
    protected boolean shipsInterpreter() {
        return true;
    }

    @Override
    protected String goal() {
        return "pybundle:bundle";
    }
}

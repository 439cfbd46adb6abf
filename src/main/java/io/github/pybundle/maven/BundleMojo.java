package io.github.pybundle.maven;

import io.github.pybundle.core.Generator;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.index.Downloader;
import io.github.pybundle.core.lock.LockedPackage;
import io.github.pybundle.core.lock.Locker;
import io.github.pybundle.core.spec.dist.WheelFilename;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.wheel.WheelSource;
import io.github.pybundle.core.wheel.WheelVerifier;

import io.github.pybundle.core.project.ProjectPackager;
import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.bundle.BundleFingerprint;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.bundle.PyFilesZipBuilder;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.core.source.PythonSourceTree;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.lock.LockedWheels;
import io.github.pybundle.core.lock.Pylock;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.core.sbom.Component;
import io.github.pybundle.core.sbom.Purl;
import io.github.pybundle.core.sbom.SbomWriter;
import io.github.pybundle.core.sbom.WheelComponents;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the deployment bundle: <code>target/{finalName}-pyfiles.zip</code> for {@code spark-submit --py-files}
 * (attached with classifier {@code pyfiles}), the launcher {@code target/pybundle/spark-submit.sh}, and the CycloneDX
 * SBOM <code>target/{finalName}-bom.json</code> (attached with type {@code json} and classifier {@code cyclonedx}).
 *
 * @since 0.1.0
 */
@Mojo(name = "bundle", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class BundleMojo extends AbstractPyBundleMojo {
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
     * {@code <conf>}, {@code <files>}, {@code <args>}, {@code <remoteDir>} (then livy-batch.json and
     * spark-application.yaml are written too, with {@code <image>} and {@code <version>}).
     *
     * @since 0.1.0
     */
    @Parameter
    protected SparkConfig spark;

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

    @Override
    protected void doExecute() throws Exception {
        ProjectPackager.Layout placement = layout();
        EnvironmentArchiveBuilder.Format format = format();
        List<Path> mavenWheels = wheelDependencies();
        DeclaredRequirements declared = declaredRequirements().withRequirementsOf(mavenWheels);
        ProjectPackager.checkMainScript(mainScript.toPath());
        Pylock lock = null;
        IndexConfiguration config = null;
        Target t = declared.requirements().isEmpty() ? null : resolvedTarget();
        String interpreter = target == null || target.interpreter == null || target.interpreter.isBlank()
                ? "python3" : target.interpreter;
        Path out = outputDirectory.toPath();
        Path zipFile = out.resolve(PyFilesZipBuilder.fileName(finalName));
        Path envFile = out.resolve(EnvironmentArchiveBuilder.fileName(finalName, format));
        Path state = out.resolve("pybundle");
        Path bomFile = out.resolve(SbomWriter.fileName(finalName));
        List<Path> expected = new java.util.ArrayList<>(List.of(zipFile, state.resolve("spark-submit.sh"), bomFile));
        if (java.nio.file.Files.isRegularFile(envFile)) {
            expected.add(envFile);
        }
        // The fingerprint covers the lock's bytes and everything the lock is checked against (the requirements, the
        // target, the provided packages): when it matches the last successful build, so would the lock check, and
        // the lock is not even parsed.
        Target tt = t;
        String before = fingerprint(declared, tt, placement, format, interpreter, mavenWheels);
        if (!updateLock && timer.time("up-to-date check", () -> BundleFingerprint.unchanged(state, before,
                expected))) {
            getLog().info("Bundle unchanged since the last build (same lock, sources and settings): reusing "
                    + zipFile.getFileName() + (expected.contains(envFile) ? " and " + envFile.getFileName() : ""));
            attach(zipFile, expected.contains(envFile) ? envFile : null, bomFile, format);
            return;
        }
        LockedWheels locked = null;
        if (t != null) {
            config = indexConfiguration(declared);
            locked = new LockedWheels(listener(), sourceBuilder(t, config));
            LockedWheels lw = locked;
            IndexConfiguration c = config;
            lock = withoutExcluded(timer.time("resolve", () -> lw.ensure(declared, tt, providedPackages(),
                    allowPrereleases, c, lockFile.toPath(), updateLock)));
        }
        // Again: the lock may have been written or re-written just now.
        String fingerprint = fingerprint(declared, tt, placement, format, interpreter, mavenWheels);
        java.nio.file.Files.deleteIfExists(envFile); // a rebuild without native packages must not leave a stale one
        // Which wheels were checked (RECORD, CRC-32, deflate streams): cache entries across builds, others in this one.
        WheelVerifier.Memo checked = config == null
                ? WheelVerifier.Memo.none()
                : WheelVerifier.Memo.inCache(config.cacheRoot());
        List<Path> wheels = new java.util.ArrayList<>(mavenWheels);
        if (lock != null) {
            LockedWheels lw = locked;
            Pylock l = lock;
            IndexConfiguration c = config;
            // Each wheel is checked as soon as it arrives, while others download; the archive then only copies it.
            wheels.addAll(timer.time("download", () -> lw.fetch(l, lockFile.toPath(), c,
                    w -> WheelVerifier.verify(w, checked))));
        }
        if (t == null && !mavenWheels.isEmpty()) {
            t = resolvedTarget(); // the environment archive needs the target when a Maven wheel is native
        }
        ProjectPackager.EnvironmentSpec environment = t == null ? null
                : new ProjectPackager.EnvironmentSpec(t.major(), t.minor(), interpreter, format);
        ProjectPackager packager = new ProjectPackager(listener(), new WheelChecks(checked,
                WheelChecks.parseSize("maxInflatedWheelSize", maxInflatedWheelSize),
                WheelChecks.parseSize("maxInflatedBundleSize", maxInflatedBundleSize), listener()));
        ProjectPackager.BundleResult result = timer.time("assemble", () -> packager.bundle(
                new ProjectPackager.BundleRequest(pythonSourceDirectory.toPath(), mainScript.toPath(),
                        project.getArtifactId(), outputDirectory.toPath(), finalName, timestamp(), wheels, placement,
                        environment, sparkSpec())));
        List<Component> packages = timer.time("sbom", () -> WheelComponents.of(wheels));
        SbomWriter.write(bomFile, new SbomWriter.Sbom(sbomSubject(), sbomTool(), packages, timestamp()));
        getLog().info("SBOM " + bomFile + " (CycloneDX " + SbomWriter.SPEC_VERSION + ", " + packages.size()
                + " Python packages)");
        attach(result.pyFilesZip(), result.environmentArchive(), bomFile, format);
        BundleFingerprint.record(state, fingerprint);
        summary(result);
    }

    private String fingerprint(DeclaredRequirements declared, Target t, ProjectPackager.Layout placement,
                               EnvironmentArchiveBuilder.Format format, String interpreter, List<Path> mavenWheels)
            throws java.io.IOException {
        return BundleFingerprint.of(PythonSourceTree.scan(pythonSourceDirectory.toPath(), mainScript.toPath()),
                mainScript.toPath(), t == null ? null : lockFile.toPath(), List.of(
                "layout=" + placement, "format=" + format, "finalName=" + finalName, "interpreter=" + interpreter,
                "timestamp=" + timestamp().getEpochSecond(), "excludes=" + excludes, "app=" + project.getArtifactId(),
                "generator=" + Generator.NAME, "maven-wheels=" + digests(mavenWheels),
                "spark=" + sparkSpec(), "lock-inputs=" + (t == null ? "-" : Locker
                        .inputs(declared, t, providedPackages())), "target=" + (t == null ? "-" : t.describe()),
                "prereleases=" + allowPrereleases, "sbom=" + sbomSubject().purl()));
    }

    /** The SBOM's {@code metadata.component}: this Maven project. */
    private Component sbomSubject() {
        return Component.of(Component.Type.APPLICATION, project.getGroupId(), project.getArtifactId(),
                project.getVersion(), Purl.maven(project.getGroupId(), project.getArtifactId(), project.getVersion()));
    }

    private static Component sbomTool() {
        String version = Generator.VERSION;
        return Component.of(Component.Type.APPLICATION, "io.github.pybundle", "pybundle-maven-plugin", version,
                Purl.maven("io.github.pybundle", "pybundle-maven-plugin", version));
    }

    /** Wheels the pom depends on ({@code <type>whl</type>}), resolved by Maven (the reactor or a repository). */
    private List<Path> wheelDependencies() throws java.io.IOException {
        List<Path> out = new java.util.ArrayList<>();
        for (org.apache.maven.artifact.Artifact a : project.getArtifacts()) {
            if ("whl".equals(a.getType()) && a.getFile() != null) {
                Path f = a.getFile().toPath();
                if (!f.getFileName().toString().endsWith(".whl") || !java.nio.file.Files.isRegularFile(f)) {
                    throw new InvalidConfigurationException("dependencies", a.getId(), "the whl dependency " + a.getId()
                            + " resolved to " + f + ", which is not a wheel file", "build it with pybundle:wheel in"
                            + " the same reactor (mvn package from the parent) or install it first");
                }
                out.add(pep427Named(f));
            }
        }
        return out;
    }

    // A repository stores artifactId-version.whl; the bundle needs the wheel under its own name.
    private Path pep427Named(Path f) throws java.io.IOException {
        try {
            WheelFilename.parse(f.getFileName().toString());
            return f;
        } catch (PyBundleException notAWheelName) {
            Path dir = java.nio.file.Files.createDirectories(outputDirectory.toPath().resolve("pybundle/maven-wheels"));
            Path named = dir.resolve(WheelSource.properName(f));
            java.nio.file.Files.copy(f, named, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return named;
        }
    }

    private static String digests(List<Path> files) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            sb.append(Digests.sha256Hex(f)).append(',');
        }
        return sb.toString();
    }

    private ProjectPackager.SparkSpec sparkSpec() {
        SparkConfig c = spark == null ? new SparkConfig() : spark;
        if (!"client".equals(c.deployMode) && !"cluster".equals(c.deployMode)) {
            throw new InvalidConfigurationException("spark", c.deployMode, "<spark><deployMode> must be client or"
                    + " cluster, not '" + c.deployMode + "'", "client runs the driver where the launcher runs");
        }
        List<String> files = new java.util.ArrayList<>();
        if (c.files != null) {
            c.files.forEach(f -> files.add(f.getAbsolutePath()));
        }
        return new ProjectPackager.SparkSpec(c.master == null ? "local[*]" : c.master, c.deployMode,
                c.conf == null ? java.util.Map.of() : new java.util.TreeMap<>(c.conf), files,
                c.args == null ? List.of() : c.args, c.remoteDir, c.image, c.version);
    }

    private void attach(Path zip, Path env, Path bom, EnvironmentArchiveBuilder.Format format) {
        if (attach) {
            Path launch = outputDirectory.toPath().resolve("pybundle");
            projectHelper.attachArtifact(project, "sh", "spark-submit", launch.resolve("spark-submit.sh").toFile());
            projectHelper.attachArtifact(project, "json", "launch", launch.resolve("launch.json").toFile());
            for (String[] d : new String[][] {{"livy-batch.json", "json", "livy-batch"},
                {"spark-application.yaml", "yaml", "spark-application"}}) {
                if (java.nio.file.Files.isRegularFile(launch.resolve(d[0]))) {
                    projectHelper.attachArtifact(project, d[1], d[2], launch.resolve(d[0]).toFile());
                }
            }
            projectHelper.attachArtifact(project, "zip", "pyfiles", zip.toFile());
            if (env != null) {
                projectHelper.attachArtifact(project, format == EnvironmentArchiveBuilder.Format.ZIP ? "zip"
                        : "tar.gz", "pyenv", env.toFile());
            }
            projectHelper.attachArtifact(project, "json", "cyclonedx", bom.toFile());
        }
    }

    private ProjectPackager.Layout layout() {
        try {
            return ProjectPackager.Layout.valueOf(layout.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("layout", layout, "<layout> must be auto, pyfiles or environment,"
                    + " not '" + layout + "'", "auto puts compiled packages in the environment archive and the rest in"
                    + " the py-files zip");
        }
    }

    private EnvironmentArchiveBuilder.Format format() {
        switch (archiveFormat.strip()) {
            case "tar.gz":
                return EnvironmentArchiveBuilder.Format.TAR_GZ;
            case "zip":
                return EnvironmentArchiveBuilder.Format.ZIP;
            default:
                throw new InvalidConfigurationException("archiveFormat", archiveFormat, "<archiveFormat> must be"
                        + " tar.gz or zip, not '" + archiveFormat + "'", "YARN, Kubernetes and standalone Spark"
                        + " unpack both");
        }
    }

    private Pylock withoutExcluded(Pylock lock) {
        if (excludes == null || excludes.isEmpty()) {
            return lock;
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        excludes.forEach(e -> names.add(ProjectName.normalize(e.strip())));
        List<LockedPackage> kept = new java.util.ArrayList<>();
        for (LockedPackage p : lock.packages()) {
            if (names.contains(p.name())) {
                List<String> needers = lock.packages().stream().filter(q -> q.dependencies().contains(p.name())
                        && !names.contains(q.name())).map(q -> q.name() + " " + q.version()).toList();
                if (!needers.isEmpty()) {
                    getLog().warn("<excludes> leaves out " + p.name() + " " + p.version() + ", which " + needers
                            + " need" + (needers.size() == 1 ? "s" : "") + ": the cluster must provide it");
                }
            } else {
                kept.add(p);
            }
        }
        return new Pylock(lock.environments(), lock.requiresPython(), lock.createdBy(), kept, lock.inputs());
    }

    private void summary(ProjectPackager.BundleResult r) throws java.io.IOException {
        if (r.placements().isEmpty() && (excludes == null || excludes.isEmpty())) {
            return;
        }
        getLog().info(String.format("%-58s %10s  %-6s  %s", "Wheel", "Size", "Kind", "Placed in"));
        for (ProjectPackager.Placement p : r.placements()) {
            getLog().info(String.format("%-58s %10s  %-6s  %s", p.wheel(),
                    Downloader.humanSize(p.size()), p.pure() ? "pure" : "native",
                    p.placedIn()));
        }
        providedPackages().forEach((name, version) -> getLog().info(String.format("%-58s %10s  %-6s  %s",
                name + (version.isEmpty() ? "" : " " + version), "-", "-", "provided by the cluster")));
        if (excludes != null) {
            excludes.forEach(e -> getLog().info(String.format("%-58s %10s  %-6s  %s", e, "-", "-", "excluded")));
        }
        String outputs = r.pyFilesZip().getFileName() + " (" + Downloader.humanSize(
                java.nio.file.Files.size(r.pyFilesZip())) + ")" + (r.environmentArchive() == null ? ""
                : ", " + r.environmentArchive().getFileName() + " (" + Downloader
                .humanSize(java.nio.file.Files.size(r.environmentArchive())) + ")");
        getLog().info("Outputs: " + outputs);
    }

    @Override
    protected String goal() {
        return "pybundle:bundle";
    }
}

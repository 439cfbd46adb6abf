package io.github.pybundle.core.app;

import io.github.pybundle.core.Generator;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.bundle.BuiltArchiveCache;
import io.github.pybundle.core.bundle.BundleFingerprint;
import io.github.pybundle.core.bundle.BundleSnapshots;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.bundle.PyFilesZipBuilder;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.PhaseTimer;
import io.github.pybundle.core.cache.FileCache;
import io.github.pybundle.core.index.Downloader;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.launch.SparkAppArchive;
import io.github.pybundle.core.lock.BuildWheels;
import io.github.pybundle.core.lock.DownloadsAhead;
import io.github.pybundle.core.lock.LockedPackage;
import io.github.pybundle.core.lock.LockedWheels;
import io.github.pybundle.core.lock.Locker;
import io.github.pybundle.core.lock.Pylock;
import io.github.pybundle.core.model.ModelCheck;
import io.github.pybundle.core.model.ModelFile;
import io.github.pybundle.core.model.ModelFiles;
import io.github.pybundle.core.model.PickleReader;
import io.github.pybundle.core.project.ProjectPackager;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.sbom.Component;
import io.github.pybundle.core.sbom.Purl;
import io.github.pybundle.core.sbom.SbomWriter;
import io.github.pybundle.core.sbom.WheelComponents;
import io.github.pybundle.core.source.PythonSourceTree;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.dist.WheelFilename;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.target.PythonArchive;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.core.wheel.NativeCheck;
import io.github.pybundle.core.wheel.NativeFiles;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.core.wheel.WheelSource;
import io.github.pybundle.core.wheel.WheelVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The {@code bundle} goal: from the declared requirements, the lock and the project's code to the py-files zip, the
 * environment archive, the launchers and the SBOM, reusing the last outputs when nothing they depend on changed.
 */
public final class BundleService {
    private final BuildListener listener;
    private final PhaseTimer timer;
    private boolean jitFocus;

    public BundleService(BuildListener listener, PhaseTimer timer) {
        this.listener = timer.listening(listener); // the work behind the phases is summed by the timer
        this.timer = timer;
    }

    /**
     * What the bundle is made of and how.
     *
     * @param dependencies the declared requirements, the target and the lock
     * @param sourceDirectory where the project's Python packages are
     * @param mainScript the application's entry point
     * @param appName the name Spark shows
     * @param outputDirectory the build directory
     * @param finalName the base name of the outputs
     * @param timestamp the time of every archive entry
     * @param layout where dependency wheels go
     * @param format the environment archive's format
     * @param excludes packages the lock has that the bundle leaves out
     * @param spark how the launchers run the application
     * @param wheelDependencies wheels the build tool resolved as dependencies (any file name), with their coordinates
     * @param pyFilesZips py-files zips the build tool resolved as dependencies, merged into the project's
     * @param updateLock whether to re-resolve instead of failing on an outdated lock
     * @param maxInflatedWheel the zip-bomb limit for one wheel, in bytes
     * @param maxInflatedBundle the zip-bomb limit for the wheels of one output, in bytes
     * @param subject the SBOM's subject (the project)
     * @param models model files and directories shipped like {@code spark.files} and checked against the lock
     * @param checkModels whether a model that does not match the lock fails the build ({@code pybundle:exec}, which
     *     retrains models, builds without the check; the outputs it leaves are not reused by a checked build)
     */
    public record Request(DependencyRequest dependencies, Path sourceDirectory, Path mainScript, String appName,
                          Path outputDirectory, String finalName, Instant timestamp, ProjectPackager.Layout layout,
                          EnvironmentArchiveBuilder.Format format, List<String> excludes,
                          ProjectPackager.SparkSpec spark, List<BuildWheels.Wheel> wheelDependencies,
                          List<PyFilesZipBuilder.ZipDependency> pyFilesZips, boolean updateLock,
                          long maxInflatedWheel, long maxInflatedBundle, Component subject, List<Path> models,
                          boolean checkModels) {
        public Request {
            models = models == null ? List.of() : List.copyOf(models);
            excludes = excludes == null ? List.of() : List.copyOf(excludes);
            wheelDependencies = List.copyOf(wheelDependencies);
            pyFilesZips = pyFilesZips == null ? List.of() : List.copyOf(pyFilesZips);
        }

        /** A bundle whose models are checked. */
        public Request(DependencyRequest dependencies, Path sourceDirectory, Path mainScript, String appName,
                       Path outputDirectory, String finalName, Instant timestamp, ProjectPackager.Layout layout,
                       EnvironmentArchiveBuilder.Format format, List<String> excludes,
                       ProjectPackager.SparkSpec spark, List<BuildWheels.Wheel> wheelDependencies,
                       List<PyFilesZipBuilder.ZipDependency> pyFilesZips, boolean updateLock,
                       long maxInflatedWheel, long maxInflatedBundle, Component subject, List<Path> models) {
            this(dependencies, sourceDirectory, mainScript, appName, outputDirectory, finalName, timestamp, layout,
                    format, excludes, spark, wheelDependencies, pyFilesZips, updateLock, maxInflatedWheel,
                    maxInflatedBundle, subject, models, true);
        }

        /** The same bundle, its models not checked. */
        public Request withoutModelCheck() {
            return new Request(dependencies, sourceDirectory, mainScript, appName, outputDirectory, finalName,
                    timestamp, layout, format, excludes, spark, wheelDependencies, pyFilesZips, updateLock,
                    maxInflatedWheel, maxInflatedBundle, subject, models, false);
        }

        /** A bundle without models. */
        public Request(DependencyRequest dependencies, Path sourceDirectory, Path mainScript, String appName,
                       Path outputDirectory, String finalName, Instant timestamp, ProjectPackager.Layout layout,
                       EnvironmentArchiveBuilder.Format format, List<String> excludes,
                       ProjectPackager.SparkSpec spark, List<BuildWheels.Wheel> wheelDependencies,
                       List<PyFilesZipBuilder.ZipDependency> pyFilesZips, boolean updateLock,
                       long maxInflatedWheel, long maxInflatedBundle, Component subject) {
            this(dependencies, sourceDirectory, mainScript, appName, outputDirectory, finalName, timestamp, layout,
                    format, excludes, spark, wheelDependencies, pyFilesZips, updateLock, maxInflatedWheel,
                    maxInflatedBundle, subject, List.of());
        }

        /** The launch's settings with the model files added to the files it ships. */
        Request withModelFiles(List<Path> files) {
            if (files.isEmpty()) {
                return this;
            }
            List<String> all = new ArrayList<>(spark.files());
            files.forEach(f -> all.add(f.toString()));
            ProjectPackager.SparkSpec s = new ProjectPackager.SparkSpec(spark.master(), spark.deployMode(),
                    spark.conf(), all, spark.args(), spark.remoteDir(), spark.image(), spark.sparkVersion(),
                    spark.jars(), spark.publicCache());
            return new Request(dependencies, sourceDirectory, mainScript, appName, outputDirectory, finalName,
                    timestamp, layout, format, excludes, s, wheelDependencies, pyFilesZips, updateLock,
                    maxInflatedWheel, maxInflatedBundle, subject, models, checkModels);
        }
    }

    /**
     * The outputs.
     *
     * @param pyFilesZip the py-files zip
     * @param environmentArchive the environment archive, or null when no wheel needs one
     * @param sbom the CycloneDX SBOM
     * @param launchDirectory the application directory: the launchers and everything they name
     * @param sparkApp the application directory as one archive, {@code {finalName}-spark-app.tar.gz}
     * @param reused whether the last build's outputs were reused unchanged
     */
    public record Outcome(Path pyFilesZip, Path environmentArchive, Path sbom, Path launchDirectory, Path sparkApp,
                          boolean reused) {
    }

    /**
     * Asks HotSpot, while a bundle is built from scratch (not when a build is reused), to keep its optimising compiler
     * for the JDK's cryptography ({@link JitFocus}): for a caller that knows no other project's build runs in this JVM
     * later or meanwhile, on a machine where it is {@linkplain JitFocus#worthwhile worthwhile}.
     */
    public BundleService withJitFocus(boolean focus) {
        this.jitFocus = focus;
        return this;
    }

    /** Builds the bundle, or reuses it when nothing changed. */
    public Outcome bundle(Request request, IndexSource sources) throws Exception {
        try (JitFocus focus = JitFocus.of(jitFocus, listener)) {
            return build(request, sources, focus);
        }
    }

    private Outcome build(Request request, IndexSource sources, JitFocus focus) throws Exception {
        List<Path> givenModels = request.models();
        if (!request.checkModels()) { // a script that trains a model may be what creates it
            givenModels = givenModels.stream().filter(m -> {
                boolean there = Files.exists(m);
                if (!there) {
                    listener.log(Level.INFO, "Model " + m + " does not exist yet: not shipped in this build");
                }
                return there;
            }).toList();
        }
        List<Path> modelFiles = ModelFiles.expand(givenModels);
        Request r = request.withModelFiles(modelFiles);
        Dependencies deps = new Dependencies(listener);
        DependencyRequest dr = r.dependencies();
        List<BuildWheels.Wheel> buildWheels = copied(r.wheelDependencies(), r.outputDirectory());
        List<Path> mavenWheels = buildWheels.stream().map(BuildWheels.Wheel::file).toList();
        DeclaredRequirements declared = timer.time("requirements", () -> deps.declared(dr)
                .withRequirementsOf(mavenWheels));
        ProjectPackager.checkMainScript(r.mainScript());
        PythonArchive.Source pythonArchive = dr.target().pythonArchive();
        if (pythonArchive != null && r.format() == EnvironmentArchiveBuilder.Format.ZIP) {
            throw EnvironmentArchiveBuilder.zipCannotShip();
        }
        Target target = declared.requirements().isEmpty() && pythonArchive == null ? null : dr.target().target();
        if (pythonArchive != null && EnvironmentArchiveBuilder.unsupportedPlatform(target.platforms()) != null) {
            throw EnvironmentArchiveBuilder.unsupported(EnvironmentArchiveBuilder.unsupportedPlatform(
                    target.platforms()), "the interpreter of {@target.pythonArchive}");
        }
        String interpreter = dr.target().interpreterCommand();
        Path out = r.outputDirectory();
        Path zipFile = out.resolve(PyFilesZipBuilder.fileName(r.finalName()));
        Path envFile = out.resolve(EnvironmentArchiveBuilder.fileName(r.finalName(), r.format()));
        Path state = ProjectPackager.appDirectory(out);
        Path bomFile = out.resolve(SbomWriter.fileName(r.finalName()));
        Path sparkApp = out.resolve(SparkAppArchive.fileName(r.finalName()));
        List<Path> expected = new ArrayList<>(List.of(zipFile, state.resolve(zipFile.getFileName()),
                state.resolve("spark-submit.sh"), bomFile, sparkApp));
        if (Files.isRegularFile(envFile)) {
            expected.add(envFile);
            expected.add(state.resolve(envFile.getFileName()));
        }
        // The fingerprint covers the lock's bytes and everything the lock is checked against (the requirements, the
        // target, the provided packages): when it matches the last successful build, so would the lock check, and
        // the lock is not even parsed.
        String shippedSha = pythonArchive == null ? "-" : pythonArchive.sha256() != null ? pythonArchive.sha256()
                : Digests.sha256Hex(pythonArchive.file());
        Target declaredFor = target;
        // Without its lock file a build with requirements is neither unchanged nor one the cache holds (both
        // fingerprints cover the lock's bytes, and every such build wrote one): the fingerprint is not even made.
        boolean shortcutPossible = declared.requirements().isEmpty() || Files.exists(dr.lockFile());
        String before = !shortcutPossible ? null : timer.time("fingerprint", () -> fingerprint(r, declared,
                declaredFor, interpreter, mavenWheels, shippedSha));
        if (before != null && !r.updateLock() && timer.time("up-to-date check", () -> BundleFingerprint.unchanged(
                state, before, expected))) {
            listener.log(Level.INFO, "Bundle unchanged since the last build (same lock, sources and settings):"
                    + " reusing " + zipFile.getFileName() + (expected.contains(envFile) ? " and "
                    + envFile.getFileName() : "") + " ({!list} lists what they hold)");
            runHint(state, r.spark().master());
            return new Outcome(zipFile, expected.contains(envFile) ? envFile : null, bomFile, state, sparkApp, true);
        }
        IndexConfiguration config = null;
        LockedWheels locked = null;
        Pylock lock = null;
        PythonArchive.Shipped shipped = null;
        if (target != null) {
            config = timer.time("index setup", () -> sources.configure(declared.files()));
            // A warm build (a clean target/, the same lock, sources and settings as a build before): its outputs
            // come back from the cache, as the unchanged-bundle shortcut reuses them from target/.
            if (before != null && !r.updateLock() && !BundleFingerprint.recorded(state)) {
                IndexConfiguration c = config;
                List<String> required = java.util.stream.Stream.of(zipFile, bomFile, sparkApp,
                        state.resolve("spark-submit.sh"), state.resolve("launch.json")).map(p -> out.relativize(p)
                        .toString().replace('\\', '/')).toList();
                List<Path> restored = timer.time("restore", () -> new BundleSnapshots(c.cacheRoot()).restore(
                        snapshotKey(before), out, required));
                if (restored != null) {
                    for (Path stale : List.of(envFile, state.resolve(envFile.getFileName()))) {
                        if (!restored.contains(stale)) { // left by a build that had one, as a build deletes it
                            Files.deleteIfExists(stale);
                        }
                    }
                    BundleFingerprint.record(state, before);
                    listener.log(Level.INFO, "Bundle built before from the same lock, sources and settings: its "
                            + BuildListener.count(restored.size(), "output") + " copied from the cache ({!list} lists"
                            + " what they hold)");
                    runHint(state, r.spark().master());
                    return new Outcome(zipFile, restored.contains(envFile) ? envFile : null, bomFile, state,
                            sparkApp, true);
                }
            }
        }
        // The build goes on (no shortcut applied): the JSON library (and TOML's, for the lock file it reads) loads on
        // the other core meanwhile. Not earlier: an unchanged build would spend that core on loading what it never uses.
        Preload.start(Files.exists(dr.lockFile()));
        if (config != null) {
            Preload.tls(config);
            focus.start(config.cacheRoot());
        }
        // Which wheels were checked (RECORD, CRC-32, deflate streams, ELF files read): cache entries across builds,
        // others in this one. Their native code is checked against the target's platform on every build.
        WheelVerifier.Memo checked = config == null ? WheelVerifier.Memo.inMemory()
                : WheelVerifier.Memo.inCache(config.cacheRoot());
        // Checked as they arrive (fetched while the resolution goes on, or downloaded after it), on one thread per
        // processor, and then while the archives are written: whatever needs a wheel checked (before it commits an
        // archive) awaits its check through the memo of the checks under way.
        WheelVerifier.Ahead ahead = new WheelVerifier.Ahead(checked);
        DownloadsAhead fetching = null;
        try {
            if (target != null) {
                if (pythonArchive != null) { // before any wheel is downloaded: a wrong interpreter fails fast
                    shipped = shippedInterpreter(pythonArchive, target, config, r.maxInflatedBundle());
                }
                if (!declared.requirements().isEmpty()) {
                    // The wheels the resolver takes are fetched, and their checks started, while it goes on.
                    List<String> skipped = new ArrayList<>(r.excludes());
                    skipped.addAll(dr.target().providedPackages().keySet());
                    fetching = new DownloadsAhead(config.open(DownloadsAhead.quiet(listener)).downloader(),
                            new WheelChecks(checked,
                            r.maxInflatedWheel(), r.maxInflatedBundle(), listener), ahead, listener, skipped);
                    locked = new LockedWheels(listener, deps.sourceBuilder(dr, target, config), fetching);
                    Pylock ensured = recordBuildWheels(resolveLock(locked, declared, target, dr, config,
                            r.updateLock()), buildWheels, dr.lockFile());
                    lock = withoutExcluded(ensured.resolvedOnly(), r.excludes());
                    fetching.keepOnly(lock.packages().stream().map(LockedPackage::wheelName).toList());
                }
            }
            if (r.checkModels()) {
                checkModels(modelFiles, lock, dr.target().providedPackages(), r);
            } else if (!modelFiles.isEmpty()) {
                listener.log(Level.INFO, "Models not checked against the lock (" + BuildListener.count(
                        modelFiles.size(), "model") + "): this build is for running a script; the bundle goal checks"
                        + " them");
            }
            // Again: the lock may have been written or re-written just now.
            Target resolvedFor = target;
            String fingerprint = timer.time("fingerprint", () -> fingerprint(r, declared, resolvedFor, interpreter,
                    mavenWheels, shippedSha));
            Files.deleteIfExists(envFile); // a rebuild without native packages must not leave a stale one
            if (target == null && !mavenWheels.isEmpty()) {
                // the environment archive needs the target when a Maven wheel is native
                target = dr.target().target();
            }
            WheelChecks checks = new WheelChecks(ahead.memo(), r.maxInflatedWheel(), r.maxInflatedBundle(), listener,
                    target == null ? NativeCheck.none() : NativeCheck.of(target.platforms(), target.major(),
                            target.minor(), dr.target().nativeMismatchAllowed()));
            List<Path> wheels = new ArrayList<>(mavenWheels);
            if (lock != null) {
                wheels.addAll(download(locked, lock, dr.lockFile(), config, checks.withMemo(checked), ahead));
            }
            ProjectPackager.EnvironmentSpec spec = target == null ? null
                    : new ProjectPackager.EnvironmentSpec(target.major(), target.minor(), interpreter, r.format(),
                            shipped, target.platforms());
            // A warm build (a clean target/, the same lock) copies the archive built from the same inputs.
            ProjectPackager.EnvironmentSpec environment = spec == null || config == null ? spec
                    : spec.reusing(new BuiltArchiveCache(config.cacheRoot()), environmentKey(r, target, interpreter,
                            shippedSha, wheels));
            ProjectPackager packager = new ProjectPackager(listener, checks);
            // The SBOM is made from the wheels on another thread while the archives are written: most of a warm build
            // runs on one core. It is written only once the bundle is ("sbom" is the time spent waiting for it).
            FutureTask<byte[]> sbom = new FutureTask<>(() -> SbomWriter.json(new SbomWriter.Sbom(r.subject(), tool(),
                    WheelComponents.of(wheels), r.timestamp())));
            Thread sbomThread = new Thread(sbom, "pybundle-sbom");
            sbomThread.setDaemon(true);
            sbomThread.start();
            ProjectPackager.BundleResult result;
            try {
                result = timer.time("assemble", () -> packager.bundle(
                        new ProjectPackager.BundleRequest(r.sourceDirectory(), r.mainScript(), r.appName(), out,
                                r.finalName(), r.timestamp(), wheels, r.layout(), environment, r.spark(),
                                r.pyFilesZips())));
            } catch (Exception e) {
                sbom.cancel(true);
                throw e;
            }
            byte[] bom = timer.time("sbom", () -> result(sbom));
            SbomWriter.write(bomFile, bom);
            listener.log(Level.INFO, "SBOM " + bomFile + " (CycloneDX " + SbomWriter.SPEC_VERSION + ", "
                    + BuildListener.count(wheels.size(), "Python package") + ")");
            BundleFingerprint.record(state, fingerprint);
            if (config != null) {
                List<Path> outputs = new ArrayList<>(result.outputs());
                outputs.add(bomFile);
                new BundleSnapshots(config.cacheRoot()).store(snapshotKey(fingerprint), out, outputs);
            }
            timer.time("summary", () -> {
                summary(result, wheels, checked, dr.target().providedPackages(), r.excludes(), r.spark().jars());
                return null;
            });
            runHint(state, r.spark().master());
            return new Outcome(result.pyFilesZip(), result.environmentArchive(), bomFile, state, result.sparkApp(),
                    false);
    
        } finally {
            if (fetching != null) {
                fetching.close(); // what is still fetched ahead stops
            }
            ahead.close();
        }
    }

    /**
     * Each model against the lock's versions (and the cluster's): one line per model saying whether it was checked,
     * a warning per package it needs that nothing ships, and one failure naming every mismatch.
     */
    private void checkModels(List<Path> models, Pylock lock, Map<String, String> provided, Request r)
            throws IOException {
        if (models.isEmpty()) {
            return;
        }
        Map<String, String> shipped = new java.util.HashMap<>();
        if (lock != null) {
            lock.packages().forEach(p -> shipped.put(ProjectName.normalize(p.name()), p.version()));
        }
        Map<String, String> cluster = new java.util.HashMap<>();
        provided.forEach((n, v) -> cluster.put(ProjectName.normalize(n), v == null ? "" : v));
        Set<String> own = new HashSet<>();
        if (Files.isDirectory(r.sourceDirectory())) {
            try (java.util.stream.Stream<Path> top = Files.list(r.sourceDirectory())) {
                top.forEach(p -> own.add(p.getFileName().toString().replaceFirst("\\.py$", "")));
            }
        }
        Path base = r.outputDirectory().toAbsolutePath().getParent();
        List<ModelCheck.Problem> problems = new ArrayList<>();
        for (Path f : models) {
            String name = base != null && f.startsWith(base) ? base.relativize(f).toString().replace('\\', '/')
                    : f.toString();
            ModelFile model;
            try {
                model = ModelFile.read(f);
            } catch (PickleReader.MalformedPickleException e) {
                listener.log(Level.WARN, "Model " + name + ": unchecked, pybundle cannot read it: " + e.getMessage());
                continue;
            }
            if (model.unchecked() != null) {
                listener.log(Level.INFO, "Model " + name + ": unchecked (" + model.unchecked() + ")");
                continue;
            }
            ModelCheck.Findings found = ModelCheck.check(name, model, shipped, cluster, own);
            problems.addAll(found.errors());
            found.warnings().forEach(w -> listener.log(Level.WARN, w));
            listener.log(Level.INFO, "Model " + name + ": " + (model.partial() != null ? "checked in part ("
                    + model.partial() + ")" : "checked") + (model.sklearnVersions().isEmpty() ? ""
                    : ", pickled with scikit-learn " + String.join(", ", model.sklearnVersions())) + ", "
                    + BuildListener.count(model.modules().size(), "module") + " referenced"
                    + (found.errors().isEmpty() ? "" : ": mismatch"));
        }
        if (problems.size() == 1) {
            throw new PyBundleException(problems.get(0).message(), problems.get(0).hints());
        }
        if (!problems.isEmpty()) {
            throw new PyBundleException(problems.size() + " models do not match the bundle's versions: "
                    + String.join("; ", problems.stream().map(ModelCheck.Problem::message).toList()),
                    problems.stream().flatMap(p -> p.hints().stream()).distinct().toList());
        }
    }

    // The last line of the goal: how to run what was built.
    private void runHint(Path launchDirectory, String master) {
        listener.log(Level.INFO, "Run it on Spark: " + launchDirectory.resolve("spark-submit.sh") + " [application"
                + " arguments...] (master " + master + ", or PYBUNDLE_MASTER; spark-submit from $SPARK_HOME/bin or"
                + " PATH, e.g. pip install pyspark)");
    }

    private Pylock resolveLock(LockedWheels locked, DeclaredRequirements declared, Target target,
                               DependencyRequest dr, IndexConfiguration config, boolean update) throws Exception {
        return timer.time("resolve", () -> locked.ensure(declared, target, dr.target().providedPackages(),
                dr.allowPrereleases(), config, dr.lockFile(), update));
    }

    // Each wheel's check starts as soon as it arrives, while others download and the archives are written.
    // checks: with the memo the checks remember wheels in (not that of the checks under way, which would await itself)
    private List<Path> download(LockedWheels locked, Pylock lock, Path lockFile, IndexConfiguration config,
                                WheelChecks checks, WheelVerifier.Ahead ahead) throws Exception {
        return timer.time("download", () -> locked.fetch(lock, lockFile, config, w -> ahead.submit(w,
                () -> listener.timing("wheel checks", () -> WheelVerifier.verify(w, checks)))));
    }

    private PythonArchive.Shipped shippedInterpreter(PythonArchive.Source source, Target target,
                                                     IndexConfiguration config, long maxInflated) throws Exception {
        return timer.time("interpreter", () -> {
            Path archive = PythonArchive.obtain(source, config.cacheRoot(), config.network(), listener);
            PythonArchive.Shipped s = PythonArchive.inspect(archive, source.location(), target, maxInflated);
            listener.log(Level.INFO, "Shipping Python " + s.version() + " from " + source.location() + " ("
                    + Downloader.humanSize(Files.size(archive)) + ", " + Downloader.humanSize(s.inflatedSize())
                    + " unpacked)");
            return s;
        });
    }

    private String fingerprint(Request r, DeclaredRequirements declared, Target t, String interpreter,
                               List<Path> mavenWheels, String shippedSha) throws IOException {
        List<String> settings = List.of("layout=" + r.layout(), "format=" + r.format(), "finalName=" + r.finalName(),
                "interpreter=" + interpreter, "timestamp=" + r.timestamp().getEpochSecond(), "excludes="
                + r.excludes(), "app=" + r.appName(), "generator=" + Generator.NAME,
                "maven-wheels=" + digests(mavenWheels),
                "pyfiles-zips=" + digests(r.pyFilesZips().stream().map(PyFilesZipBuilder.ZipDependency::file)
                        .toList()),
                "spark=" + r.spark(),
                "files=" + digests(r.spark().files().stream().map(Path::of).filter(Files::isRegularFile).toList()),
                "jars=" + digests(r.spark().jars().stream().map(Path::of).filter(Files::isRegularFile).toList()),
                "lock-inputs=" + (t == null ? "-" : Locker.inputs(declared, t,
                        r.dependencies().target().providedPackages())),
                "target=" + (t == null ? "-" : t.describe()), "prereleases=" + r.dependencies().allowPrereleases(),
                "allow-native-mismatch=" + r.dependencies().target().nativeMismatchAllowed(),
                "sbom=" + r.subject().purl(), "python-archive=" + shippedSha, "models-checked=" + r.checkModels(),
                // the launchers name the main script's copy; the limits decide whether the bundle may be built
                "main=" + r.mainScript().getFileName(),
                "limits=" + r.maxInflatedWheel() + "," + r.maxInflatedBundle());
        return BundleFingerprint.of(PythonSourceTree.scan(r.sourceDirectory(), r.mainScript()), r.mainScript(),
                declared.requirements().isEmpty() ? null : r.dependencies().lockFile(), settings);
    }

    /**
     * The digest of everything the environment archive is built from: the same key, the same archive bytes (the
     * builds are reproducible). The wheels by content (a cached wheel's digest is its place in the cache), and every
     * setting that changes the archive or whether it may be built (the checks' limits, the native code allowed).
     */
    private static String environmentKey(Request r, Target t, String interpreter, String shippedSha,
                                         List<Path> wheels) throws IOException {
        StringBuilder sb = new StringBuilder("pybundle environment archive\n");
        sb.append("generator=").append(Generator.BUILD).append("\nlayout=").append(r.layout()).append("\nformat=")
                .append(r.format()).append("\ntimestamp=").append(r.timestamp().getEpochSecond())
                .append("\ninterpreter=").append(interpreter).append("\ntarget=").append(t.describe())
                .append("\nplatforms=").append(t.platforms()).append("\npython-archive=").append(shippedSha)
                .append("\nallow-native-mismatch=").append(r.dependencies().target().nativeMismatchAllowed())
                .append("\nlimits=").append(r.maxInflatedWheel()).append(',').append(r.maxInflatedBundle())
                .append('\n');
        for (Path w : wheels) {
            String sha = FileCache.sha256Named(w);
            sb.append(w.getFileName()).append(' ').append(sha != null ? sha : Digests.sha256Hex(w)).append('\n');
        }
        return HexFormat.of().formatHex(Digests.sha256().digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    // The outputs of a bundle by its fingerprint, and by the pybundle build that made them.
    private static String snapshotKey(String fingerprint) {
        return HexFormat.of().formatHex(Digests.sha256().digest(("pybundle bundle\nfingerprint=" + fingerprint
                + "\ngenerator=" + Generator.BUILD + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    // What a task computed, or the exception it failed with, as it was thrown.
    private static <T> T result(FutureTask<T> task) throws IOException, InterruptedException {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Component tool() {
        String version = Generator.VERSION;
        return Component.of(Component.Type.APPLICATION, "io.github.pybundle", "pybundle-maven-plugin", version,
                Purl.maven("io.github.pybundle", "pybundle-maven-plugin", version));
    }

    /**
     * Each wheel the build depends on, copied to the build directory under its PEP 427 name: a Maven repository
     * stores {@code artifactId-version.whl}, and the lock names the copy, whose path relative to the lock is the same
     * on every machine. A copy, not a link: resetting its mode must not touch the repository's file.
     */
    private static List<BuildWheels.Wheel> copied(List<BuildWheels.Wheel> wheels, Path outputDirectory)
            throws IOException {
        List<BuildWheels.Wheel> out = new ArrayList<>();
        for (BuildWheels.Wheel w : wheels) {
            Path f = w.file();
            String name;
            try {
                WheelFilename.parse(f.getFileName().toString());
                name = f.getFileName().toString();
            } catch (PyBundleException notAWheelName) {
                name = WheelSource.properName(f);
            }
            Path dir = Files.createDirectories(outputDirectory.resolve("pybundle/maven-wheels"));
            Path named = dir.resolve(name);
            if (!Files.isRegularFile(named) || Files.mismatch(f, named) != -1L) {
                Files.copy(f, named, StandardCopyOption.REPLACE_EXISTING);
                AtomicFile.readableByAll(named); // a copy keeps the repository file's mode
            }
            out.add(new BuildWheels.Wheel(named, w.artifact()));
        }
        return out;
    }

    /**
     * The lock with the wheels the build depends on recorded as they are now, written when they changed: the build
     * tool chose those files, so a changed one is recorded, not an out-of-date lock (a changed list of its
     * requirements still is, through the lock's inputs). A lock that records the same ones is left as it is, even
     * when another tool wrote it.
     */
    private Pylock recordBuildWheels(Pylock lock, List<BuildWheels.Wheel> wheels, Path lockFile) throws IOException {
        Set<String> resolved = new HashSet<>();
        lock.resolvedOnly().packages().forEach(p -> resolved.add(p.name()));
        List<LockedPackage> now = BuildWheels.entries(wheels, lockFile, resolved);
        List<LockedPackage> before = lock.packages().stream().filter(LockedPackage::fromBuild).toList();
        if (new HashSet<>(now).equals(new HashSet<>(before))) {
            return lock;
        }
        Pylock recorded = lock.withBuildWheels(now);
        recorded.write(lockFile);
        listener.log(Level.INFO, "Recorded in " + lockFile + " the wheels the build depends on: " + (now.isEmpty()
                ? "none" : String.join(", ", now.stream().map(p -> p.wheelName() + " (" + p.artifact() + ")")
                .toList())));
        return recorded;
    }

    private static String digests(List<Path> files) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            sb.append(Digests.sha256Hex(f)).append(',');
        }
        return sb.toString();
    }

    private Pylock withoutExcluded(Pylock lock, List<String> excludes) {
        if (excludes.isEmpty()) {
            return lock;
        }
        Set<String> names = new HashSet<>();
        excludes.forEach(e -> names.add(ProjectName.normalize(e.strip())));
        List<LockedPackage> kept = new ArrayList<>();
        for (LockedPackage p : lock.packages()) {
            if (names.contains(p.name())) {
                List<String> needers = lock.packages().stream().filter(q -> q.dependencies().contains(p.name())
                        && !names.contains(q.name())).map(q -> q.name() + " " + q.version()).toList();
                if (!needers.isEmpty()) {
                    listener.log(Level.WARN, "{@excludes} leaves out " + p.name() + " " + p.version() + ", which "
                            + needers + " need" + (needers.size() == 1 ? "s" : "") + ": the cluster must provide it");
                }
            } else {
                kept.add(p);
            }
        }
        return new Pylock(lock.environments(), lock.requiresPython(), lock.createdBy(), kept, lock.inputs());
    }

    // One row per wheel: its size, pure or native, where it went, and the highest glibc its native files need.
    private void summary(ProjectPackager.BundleResult r, List<Path> wheels, WheelVerifier.Memo checked,
                         Map<String, String> provided, List<String> excludes, List<String> jars) throws IOException {
        // Without any dependency, JAR or package the cluster provides beyond Spark's own, there is nothing to show.
        if (r.placements().isEmpty() && excludes.isEmpty() && jars.isEmpty()
                && Locker.SPARK_PROVIDED.containsAll(provided.keySet())) {
            return;
        }
        Map<String, Path> byName = new java.util.HashMap<>();
        wheels.forEach(w -> byName.put(w.getFileName().toString(), w));
        List<ContentsTable.Row> rows = new ArrayList<>();
        for (ProjectPackager.Placement p : r.placements()) {
            Path file = byName.get(p.wheel());
            NativeFiles natives = file == null ? null : checked.recall(file);
            String glibc = natives == null ? null : natives.highestGlibc();
            rows.add(ContentsTable.wheel(p.wheel(), p.size(), p.pure(), p.placedIn()).needing(glibc == null ? null
                    : "glibc " + glibc));
        }
        provided.forEach((name, version) -> rows.add(ContentsTable.provided(name, version)));
        excludes.forEach(e -> rows.add(ContentsTable.excluded(e, null)));
        for (String jar : jars) {
            Path p = Path.of(jar);
            rows.add(ContentsTable.jar(p.getFileName().toString(), Files.size(p)));
        }
        ContentsTable.lines(rows).forEach(line -> listener.log(Level.INFO, line));
        String outputs = r.pyFilesZip().getFileName() + " (" + Downloader.humanSize(Files.size(r.pyFilesZip()))
                + ")" + (r.environmentArchive() == null ? "" : ", " + r.environmentArchive().getFileName() + " ("
                + Downloader.humanSize(Files.size(r.environmentArchive())) + ")");
        listener.log(Level.INFO, "Outputs: " + outputs);
    }
}

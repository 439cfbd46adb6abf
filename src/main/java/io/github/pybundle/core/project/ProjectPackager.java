package io.github.pybundle.core.project;

import io.github.pybundle.core.Generator;
import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.archive.FileTrees;
import io.github.pybundle.core.bundle.BuiltArchiveCache;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.bundle.PyFilesZipBuilder;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.launch.LaunchDescriptors;
import io.github.pybundle.core.launch.SparkAppArchive;
import io.github.pybundle.core.launch.SparkLaunch;
import io.github.pybundle.core.launch.SparkSubmitScript;
import io.github.pybundle.core.probe.ClusterProbe;
import io.github.pybundle.core.project.ProjectWheelBuilder;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.requirements.PyprojectFile;
import io.github.pybundle.core.source.PythonSourceTree;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.metadata.CoreMetadata;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.InvalidVersionException;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.target.PythonArchive;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.core.wheel.WheelSource;
import io.github.pybundle.core.wheel.WheelVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Packages the project's own Python code: the wheel, and the py-files zip with its launcher. Build-tool neutral: the
 * Maven goals only fill in the requests.
 */
public final class ProjectPackager {
    private final BuildListener listener;
    private final WheelChecks checks;

    public ProjectPackager(BuildListener listener) {
        this(listener, WheelVerifier.Memo.none());
    }

    /** A packager that does not check again the wheels {@code checked} remembers. */
    public ProjectPackager(BuildListener listener, WheelVerifier.Memo checked) {
        this(listener, WheelChecks.defaults().withMemo(checked));
    }

    /** A packager that checks wheels as {@code checks} says (its listener is replaced by this packager's). */
    public ProjectPackager(BuildListener listener, WheelChecks checks) {
        this.listener = listener;
        this.checks = checks.withListener(listener);
    }

    /**
     * What identifies the project's distribution.
     *
     * @param distributionName the distribution name ({@code <distributionName>})
     * @param buildVersion the build tool's version of the project (Maven's {@code <version>})
     * @param distributionVersion an explicit PEP 440 version that overrides the mapped one, or null
     */
    public record Identity(String distributionName, String buildVersion, String distributionVersion,
                           String defaultName, PyprojectFile pyproject) {
        /** An identity with an explicit name and no pyproject.toml. */
        public Identity(String distributionName, String buildVersion, String distributionVersion) {
            this(distributionName, buildVersion, distributionVersion, distributionName, null);
        }

        /** This identity, with the name and version a pyproject.toml declares (used when the pom sets none). */
        public Identity withPyproject(PyprojectFile file) {
            return new Identity(distributionName, buildVersion, distributionVersion, defaultName, file);
        }

        /** The validated distribution name: {@code <distributionName>}, else pyproject's, else the default. */
        public ProjectName name() {
            boolean explicit = distributionName != null && !distributionName.isBlank();
            String declared = pyproject == null ? null : pyproject.projectName();
            String n = explicit ? distributionName : declared != null ? declared : defaultName;
            if (!ProjectName.isValid(n)) {
                if (!explicit && declared != null) {
                    throw new InvalidConfigurationException("pyproject", n, pyproject.file() + ": [project] name '"
                            + n + "' is not a valid Python distribution name", "write ASCII letters and digits with"
                            + " '.', '_' or '-' between them, e.g. my-spark-app");
                }
                throw new InvalidConfigurationException("distributionName", n,
                        "'" + n + "' is not a valid Python distribution name",
                        "set {@distributionName} to ASCII letters and digits with '.', '_' or '-' between them,"
                                + " e.g. my-spark-app");
            }
            return ProjectName.of(n);
        }

        /**
         * The PEP 440 version: the explicit one, else the build version mapped, which a static pyproject.toml version
         * must equal (one project, one version; {@code dynamic = ["version"]} takes the build's).
         */
        public Version version() {
            if (distributionVersion != null && !distributionVersion.isBlank()) {
                try {
                    return Version.parse(distributionVersion);
                } catch (InvalidVersionException e) {
                    throw new InvalidConfigurationException("distributionVersion", distributionVersion,
                            "'" + distributionVersion + "' is not a valid PEP 440 version",
                            "use a version such as 1.2.0, 1.2.0.dev0, 1.0b2 or 2.1rc1");
                }
            }
            Version mapped = MavenVersionMapper.toPep440(buildVersion);
            String declared = pyproject == null ? null : pyproject.projectVersion();
            if (declared != null) {
                Version v;
                try {
                    v = Version.parse(declared);
                } catch (InvalidVersionException e) {
                    throw new InvalidConfigurationException("pyproject", declared, pyproject.file() + ": [project]"
                            + " version '" + declared + "' is not a valid PEP 440 version", "write e.g. 1.2.0");
                }
                if (v.compareTo(mapped) != 0) {
                    throw new InvalidConfigurationException("pyproject", declared, pyproject.file() + ": [project]"
                            + " version '" + declared + "' differs from the project's version " + buildVersion
                            + " (" + mapped + " in PEP 440)", "make them agree, or write dynamic = [\"version\"]"
                            + " in [project] to take the build's version, or set {@distributionVersion}");
                }
                return v;
            }
            return mapped;
        }
    }

    /**
     * A request for the project wheel.
     *
     * @param sourceDirectory where the Python packages are
     * @param mainScript the entry-point script, left out of the wheel; may be null
     * @param identity name and version
     * @param summary one-line description, or null
     * @param license license name, or null
     * @param homePage project URL, or null
     * @param outputDirectory where the wheel goes
     * @param timestamp the time of every entry
     * @param declared the project's declared requirements: published as Requires-Dist, Provides-Extra and
     *     Requires-Python
     */
    public record WheelRequest(Path sourceDirectory, Path mainScript, Identity identity, String summary,
                               String license, String homePage, Path outputDirectory, Instant timestamp,
                               DeclaredRequirements declared) {
    }

    /**
     * A request for the py-files zip and launcher.
     *
     * @param sourceDirectory where the Python packages are
     * @param mainScript the application's entry point
     * @param appName the name Spark shows
     * @param outputDirectory the build directory ({@code target/})
     * @param finalName the base name of the outputs
     * @param timestamp the time of every entry
     * @param wheels the locked dependency wheels to include
     * @param layout where wheels go
     * @param environment the environment archive's target Python and format (used when a wheel goes there)
     * @param spark how to launch on Spark
     * @param pyFilesZips other py-files zips to merge into the project's (another module's, say)
     */
    public record BundleRequest(Path sourceDirectory, Path mainScript, String appName, Path outputDirectory,
                                String finalName, Instant timestamp, List<Path> wheels, Layout layout,
                                EnvironmentSpec environment, SparkSpec spark,
                                List<PyFilesZipBuilder.ZipDependency> pyFilesZips) {
        public BundleRequest {
            pyFilesZips = pyFilesZips == null ? List.of() : List.copyOf(pyFilesZips);
        }

        /** A request that merges no other py-files zip. */
        public BundleRequest(Path sourceDirectory, Path mainScript, String appName, Path outputDirectory,
                             String finalName, Instant timestamp, List<Path> wheels, Layout layout,
                             EnvironmentSpec environment, SparkSpec spark) {
            this(sourceDirectory, mainScript, appName, outputDirectory, finalName, timestamp, wheels, layout,
                    environment, spark, List.of());
        }

        /** A request with the default launch (local master, client mode). */
        public BundleRequest(Path sourceDirectory, Path mainScript, String appName, Path outputDirectory,
                             String finalName, Instant timestamp, List<Path> wheels, Layout layout,
                             EnvironmentSpec environment) {
            this(sourceDirectory, mainScript, appName, outputDirectory, finalName, timestamp, wheels, layout,
                    environment, SparkSpec.defaults());
        }
    }

    /**
     * The pom's {@code <spark>}.
     *
     * @param master default master ({@code local[*]})
     * @param deployMode {@code client} (default) or {@code cluster}
     * @param conf Spark configuration
     * @param files extra files
     * @param args application arguments
     * @param remoteDir where the outputs are uploaded (e.g. {@code hdfs:///apps/app/1.0}), or null
     * @param image the container image for the spark-operator descriptor, or null
     * @param sparkVersion the Spark version for the spark-operator descriptor, or null
     * @param jars JAR files (absolute paths) to put on the driver's and executors' class path: copied beside the
     *     launcher, under {@code jars/}, and shipped with {@code --jars}
     * @param publicCache whether files uploaded to {@code remoteDir} are world-readable (YARN then localizes them once
     *     per node for all applications) rather than private to their owner
     */
    public record SparkSpec(String master, String deployMode, java.util.Map<String, String> conf, List<String> files,
                            List<String> args, String remoteDir, String image, String sparkVersion,
                            List<String> jars, boolean publicCache) {
        /** A launch whose uploads (if any) are public. */
        public SparkSpec(String master, String deployMode, java.util.Map<String, String> conf, List<String> files,
                         List<String> args, String remoteDir, String image, String sparkVersion, List<String> jars) {
            this(master, deployMode, conf, files, args, remoteDir, image, sparkVersion, jars, true);
        }

        /** Checks the deploy mode and fills defaults for absent values. */
        public SparkSpec {
            master = master == null ? "local[*]" : master;
            deployMode = deployMode == null ? "client" : deployMode;
            if (!"client".equals(deployMode) && !"cluster".equals(deployMode)) {
                throw new InvalidConfigurationException("spark", deployMode, "{@spark.deployMode} must be client or"
                        + " cluster, not '" + deployMode + "'", "client runs the driver where the launcher runs");
            }
            conf = conf == null ? java.util.Map.of() : new java.util.TreeMap<>(conf);
            files = files == null ? List.of() : List.copyOf(files);
            args = args == null ? List.of() : List.copyOf(args);
            jars = jars == null ? List.of() : List.copyOf(jars);
        }

        /** Settings that ship no JAR. */
        public SparkSpec(String master, String deployMode, java.util.Map<String, String> conf, List<String> files,
                         List<String> args, String remoteDir, String image, String sparkVersion) {
            this(master, deployMode, conf, files, args, remoteDir, image, sparkVersion, List.of());
        }

        public static SparkSpec defaults() {
            return new SparkSpec("local[*]", "client", java.util.Map.of(), List.of(), List.of(), null, null, null);
        }
    }

    /** Where dependency wheels go. */
    public enum Layout {
        /** Pure wheels in the py-files zip, wheels with compiled code in the environment archive. */
        AUTO,
        /** Everything in the py-files zip; compiled code is an error. */
        PYFILES,
        /** Every dependency in the environment archive (the project's own code stays in the py-files zip). */
        ENVIRONMENT;

        /**
         * The layout a user wrote ({@code auto}, {@code pyfiles}, {@code environment}).
         *
         * @throws InvalidConfigurationException for anything else
         */
        public static Layout parse(String value) {
            try {
                return valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException("layout", value, "{@layout} must be auto, pyfiles or"
                        + " environment, not '" + value + "'", "auto puts compiled packages in the environment archive"
                        + " and the rest in the py-files zip");
            }
        }
    }

    /**
     * The environment archive's interpreter and format.
     *
     * @param major the target's Python major version
     * @param minor the target's Python minor version
     * @param interpreter the cluster's interpreter command
     * @param format tar.gz or zip
     * @param shipped the interpreter shipped in the archive, or null to run the cluster's
     * @param platforms the target's platform tags, which decide whether the nodes can run the archive at all
     * @param reuse where an archive built before from the same inputs is kept, or null to always build it
     */
    public record EnvironmentSpec(int major, int minor, String interpreter,
                                  EnvironmentArchiveBuilder.Format format, PythonArchive.Shipped shipped,
                                  List<String> platforms, Reuse reuse) {
        public EnvironmentSpec {
            platforms = platforms == null ? List.of() : List.copyOf(platforms);
        }

        public EnvironmentSpec(int major, int minor, String interpreter, EnvironmentArchiveBuilder.Format format,
                               PythonArchive.Shipped shipped, List<String> platforms) {
            this(major, minor, interpreter, format, shipped, platforms, null);
        }

        /** For nodes of a platform that runs the archive (Linux). */
        public EnvironmentSpec(int major, int minor, String interpreter, EnvironmentArchiveBuilder.Format format,
                               PythonArchive.Shipped shipped) {
            this(major, minor, interpreter, format, shipped, List.of());
        }

        /** The same archive, copied from {@code cache} when it holds one built for {@code key}. */
        public EnvironmentSpec reusing(BuiltArchiveCache cache, String key) {
            return new EnvironmentSpec(major, minor, interpreter, format, shipped, platforms, new Reuse(cache, key));
        }

        public EnvironmentSpec(int major, int minor, String interpreter, EnvironmentArchiveBuilder.Format format) {
            this(major, minor, interpreter, format, null);
        }
    }

    /**
     * An environment archive built before from the same inputs.
     *
     * @param cache where built archives are kept
     * @param key the digest of everything the archive is built from (the caller's: it knows the inputs)
     */
    public record Reuse(BuiltArchiveCache cache, String key) {
    }

    /** Where one wheel was placed, for the summary. */
    public record Placement(String wheel, long size, boolean pure, String placedIn) {
    }

    /**
     * What {@link #bundle} wrote.
     *
     * @param pyFilesZip the py-files zip
     * @param environmentArchive the environment archive, or null
     * @param launcher spark-submit.sh, in the application directory
     * @param mainScript the main script's copy in the application directory
     * @param placements where each wheel went
     * @param sparkApp the application directory as one archive, {@code {finalName}-spark-app.tar.gz}
     * @param outputs every file written (the zip, the archives, each file of the application directory)
     */
    public record BundleResult(Path pyFilesZip, Path environmentArchive, Path launcher, Path mainScript,
                               List<Placement> placements, Path sparkApp, List<Path> outputs) {
    }

    /** The descriptors written only for a launch from a remote directory. */
    private static final List<String> REMOTE_DESCRIPTORS = List.of("livy-batch.json", "spark-application.yaml",
            "emr-serverless-job.json", "dataproc-batch.json");

    /** The application directory: the launchers and everything they name, under the build directory. */
    public static Path appDirectory(Path outputDirectory) {
        return outputDirectory.resolve("pybundle");
    }

    /** Builds the wheel and returns its path. */
    public Path buildWheel(WheelRequest request) throws IOException {
        ProjectName name = request.identity().name();
        Version version = request.identity().version();
        PythonSourceTree sources = PythonSourceTree.scan(request.sourceDirectory(), request.mainScript());
        if (!sources.hasModules()) {
            throw new InvalidConfigurationException("pythonSourceDirectory", request.sourceDirectory().toString(),
                    "the Python source directory " + request.sourceDirectory()
                            + " holds no Python package or module to put in a wheel",
                    "add a package (a directory with __init__.py) or module there, or set {@pythonSourceDirectory}");
        }
        DeclaredRequirements declared = request.declared();
        CoreMetadata metadata = new CoreMetadata(name, version, request.summary(), request.license(),
                request.homePage(), declared.requiresPython() == null ? null : declared.requiresPython().toString(),
                declared.publishedExtras(),
                declared.publishedRequirements().stream().map(Object::toString).collect(Collectors.toList()));
        Path wheel = new ProjectWheelBuilder(Generator.NAME).build(sources, metadata, request.outputDirectory(),
                request.timestamp());
        listener.log(Level.INFO, "Built wheel " + wheel + " (" + BuildListener.count(sources.files().size(), "file")
                + "; "
                + String.join(", ", sources.topLevelNames()) + ")");
        return wheel;
    }

    /**
     * Builds the environment archive, or copies the one built before from the same inputs; returns its sha256 (the
     * launcher's key for its unpacked copy), computed once.
     */
    private String environmentArchive(EnvironmentSpec e, List<Path> wheels, Path archive, Instant timestamp)
            throws IOException {
        if (e.reuse() != null && e.reuse().cache().has(e.reuse().key())) {
            // The wheels' checks still pass before their archive is taken: those under way are awaited, and their
            // native code is compared with the target, which also says what it always says (drivers, mismatches).
            // Only when there is an archive to take: else the archive is written while the checks run.
            WheelVerifier.verifyAll(wheels, checks);
            BuiltArchiveCache.Hit hit = e.reuse().cache().copyTo(e.reuse().key(), archive);
            if (hit != null) {
                listener.log(Level.INFO, "Environment archive built before from the same wheels and settings: copied"
                        + " from the cache");
                return hit.sha256();
            }
        }
        String sha = EnvironmentArchiveBuilder.buildDigested(new EnvironmentArchiveBuilder.Request(wheels,
                new EnvironmentArchiveBuilder.Interpreter(e.major(), e.minor(), e.interpreter()), e.format(),
                archive, timestamp, checks, e.shipped())).sha256();
        if (e.reuse() != null) {
            e.reuse().cache().store(e.reuse().key(), archive, sha);
        }
        return sha;
    }

    /**
     * Writes the application archive, or copies the one built before from the same files when the environment archive
     * is reused from the cache (the application archive holds a copy of it, as large).
     */
    private void writeSparkApp(EnvironmentSpec environment, Path launchDir, List<String> appFiles,
                               BundleRequest request, Path sparkApp, Path envInApp, String envSha) throws IOException {
        BuiltArchiveCache apps = environment == null || environment.reuse() == null ? null
                : environment.reuse().cache().applications();
        String key = null;
        if (apps != null) {
            key = SparkAppArchive.key(Generator.BUILD, launchDir, appFiles, request.finalName(), request.timestamp(),
                    envInApp == null || envSha == null ? Map.of() : Map.of(inApp(launchDir, envInApp), envSha));
            if (apps.copyTo(key, sparkApp) != null) {
                return;
            }
        }
        SparkAppArchive.write(launchDir, appFiles, request.finalName(), sparkApp, request.timestamp());
        if (apps != null) {
            apps.store(key, sparkApp, "-"); // nothing asks for its digest: not computed (a second of CPU per GB)
        }
    }

    // spark-submit.sh always; launch.json always; the Livy, spark-operator, EMR Serverless and Dataproc descriptors
    // once paths are remote.
    // Every file it names is in the application directory; returns them, relative to it.
    private List<String> writeLaunch(BundleRequest request, Path launchDir, Path zip, Path env, String envSha,
                                     Path main) throws IOException {
        SparkSpec s = request.spark();
        String remote = s.remoteDir() == null || s.remoteDir().isBlank() ? null : s.remoteDir().replaceAll("/+$", "");
        List<String> appFiles = new java.util.ArrayList<>();
        List<SparkSubmitScript.Upload> uploads = new java.util.ArrayList<>();
        // Each file of the launch: relative to the launcher, or (with a remote directory) at a content-addressed
        // remote path, sha256/<digest>/<name>, which the launcher and pybundle:upload fill when it is missing.
        IoFunction<Path, String> where = p -> {
            String local = inApp(launchDir, p);
            appFiles.add(local);
            if (remote == null) {
                return local;
            }
            SparkSubmitScript.Upload u = SparkSubmitScript.Upload.of(local, remote, p.equals(env) && envSha != null
                    ? envSha : Digests.sha256Hex(p));
            uploads.add(u);
            return u.remote();
        };
        // Extra files and JARs are copied beside the launcher, so that every path in the launch is relative.
        List<String> files = new java.util.ArrayList<>();
        for (Path copy : copyAll(s.files(), launchDir.resolve("files"), "file")) {
            files.add(where.apply(copy));
        }
        String zipAt = where.apply(zip);
        String envAt = env == null ? null : where.apply(env);
        String mainAt = where.apply(main);
        List<String> jars = new java.util.ArrayList<>();
        for (Path jar : copyAll(s.jars(), launchDir.resolve("jars"), "JAR")) {
            jars.add(where.apply(jar));
        }
        SparkLaunch launch = new SparkLaunch(request.appName(), s.master(), s.deployMode(), mainAt, List.of(zipAt),
                envAt, envSha, files, s.conf(), s.args(), remote != null, jars);
        new SparkSubmitScript(launch, env == null ? null : inApp(launchDir, env), Generator.NAME, uploads,
                s.publicCache()).write(launchDir.resolve(SparkSubmitScript.FILE_NAME));
        appFiles.add(SparkSubmitScript.FILE_NAME);
        writeText(launchDir.resolve("launch.json"), LaunchDescriptors.launchJson(launch));
        appFiles.add("launch.json");
        if (remote == null) {
            for (String d : REMOTE_DESCRIPTORS) { // an earlier build's, made for a remote directory
                Files.deleteIfExists(launchDir.resolve(d));
            }
            return appFiles;
        }
        writeText(launchDir.resolve("livy-batch.json"), LaunchDescriptors.livyBatch(launch));
        writeText(launchDir.resolve("spark-application.yaml"), LaunchDescriptors.sparkApplication(launch,
                s.image() != null ? s.image() : s.conf().getOrDefault("spark.kubernetes.container.image",
                "apache/spark-py"), s.sparkVersion()));
        writeText(launchDir.resolve("emr-serverless-job.json"), LaunchDescriptors.emrServerlessJob(launch));
        writeText(launchDir.resolve("dataproc-batch.json"), LaunchDescriptors.dataprocBatch(launch));
        appFiles.addAll(REMOTE_DESCRIPTORS);
        // Relative local paths: the commands work from the build's application directory and from an unpacked copy.
        listener.log(Level.INFO, "The launch refers to " + remote + "/sha256/<digest>/<file>: " + SparkSubmitScript
                .FILE_NAME + " uploads what is missing there before it submits (PYBUNDLE_UPLOAD=never skips that),"
                + " {!upload} uploads from here; or by hand, from " + launchDir + " (or the unpacked "
                + SparkAppArchive.fileName(request.finalName()) + "):");
        LaunchDescriptors.uploadCommands(remote, uploads.stream().map(u -> new String[] {u.local(), u.remote()})
                .toList()).forEach(c -> listener.log(Level.INFO, "  " + c));
        return appFiles;
    }

    /** A function that may fail with an I/O error. */
    @FunctionalInterface
    private interface IoFunction<T, R> {
        R apply(T t) throws IOException;
    }

    // A path of the application directory as the launchers write it: relative, with '/'.
    private static String inApp(Path launchDir, Path p) {
        return launchDir.relativize(p).toString().replace('\\', '/');
    }

    /**
     * Puts a file of the build directory into the application directory as well: a hard link (no copy of hundreds of
     * megabytes), else a copy. Made anew each build, because outputs are replaced by renaming, which leaves an old link
     * on the old file.
     */
    private static void placeInApp(Path output, Path inApp) throws IOException {
        FileTrees.linkOrCopy(output, inApp);
    }

    // A descriptor: complete or absent, rw-r--r-- whatever the umask.
    private static void writeText(Path file, String text) throws IOException {
        AtomicFile.write(file, temp -> Files.writeString(temp, text));
    }

    // JARs and extra files go beside the launcher, so that the launch refers to them by relative paths and the output
    // can move; the directory of an earlier build is replaced. Two of one file name would overwrite each other.
    private static List<Path> copyAll(List<String> jars, Path dir, String what) throws IOException {
        deleteFilesIn(dir);
        java.util.Map<String, String> names = new java.util.LinkedHashMap<>();
        List<Path> out = new java.util.ArrayList<>();
        for (String jar : jars) {
            Path source = Path.of(jar);
            String name = source.getFileName().toString();
            String previous = names.putIfAbsent(name, jar);
            if (previous != null) {
                throw new InvalidConfigurationException("spark", jar, "two " + what + "s are named " + name + ": "
                        + previous + " and " + jar, "keep one of them, or rename one");
            }
            if (!Files.isRegularFile(source)) {
                throw new InvalidConfigurationException("spark", jar, "the " + what + " " + jar + " does not exist",
                        "build it first, or correct the path in {@spark." + (what.equals("JAR") ? "jars" : "files")
                        + "}");
            }
            Path target = Files.createDirectories(dir).resolve(name);
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            AtomicFile.readableByAll(target);
            out.add(target);
        }
        return out;
    }

    // The copies of an earlier build (a flat directory of JARs or files), when there is one.
    private static void deleteFilesIn(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (java.util.stream.Stream<Path> old = Files.list(dir)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /**
     * Checks the main script: it must exist and end in {@code .py}.
     *
     * @throws InvalidConfigurationException (setting {@code mainScript}) otherwise
     */
    public static void checkMainScript(Path main) {
        if (!Files.isRegularFile(main)) {
            throw new InvalidConfigurationException("mainScript", main.toString(),
                    "the main script " + main + " does not exist",
                    "create it (the script Spark runs, e.g. src/main/python/main.py), or set {@mainScript} to your"
                            + " application's entry point");
        }
        if (!main.getFileName().toString().endsWith(".py")) {
            throw new InvalidConfigurationException("mainScript", main.toString(),
                    "the main script " + main + " does not end in .py, so spark-submit would not run it as Python",
                    "rename it to end in .py");
        }
    }

    /** Builds the py-files zip and the launcher, and copies the main script beside the launcher. */
    public BundleResult bundle(BundleRequest request) throws IOException {
        Path main = request.mainScript();
        checkMainScript(main);
        PythonSourceTree sources = PythonSourceTree.scan(request.sourceDirectory(), main);
        Path out = request.outputDirectory();
        List<Path> toZip = new java.util.ArrayList<>();
        List<Path> toEnv = new java.util.ArrayList<>();
        List<Placement> placements = new java.util.ArrayList<>();
        for (Path w : request.wheels()) {
            boolean pure = WheelSource.isPure(w); // checked in full by its archive
            boolean env = request.layout() == Layout.ENVIRONMENT || request.layout() == Layout.AUTO && !pure;
            (env ? toEnv : toZip).add(w);
            placements.add(new Placement(w.getFileName().toString(), Files.size(w), pure,
                    env ? "environment archive" : "py-files zip"));
        }
        Path zip = out.resolve(PyFilesZipBuilder.fileName(request.finalName()));
        // Whenever the target is known there is an environment archive, if only for its bin/python: the guard that
        // checks the nodes' Python version (or runs the shipped interpreter) before PySpark starts a worker. Not for
        // nodes that cannot run it (Windows): there, only a bundle that needs no archive can be built.
        EnvironmentSpec environment = request.environment();
        String unsupported = environment == null ? null
                : EnvironmentArchiveBuilder.unsupportedPlatform(environment.platforms());
        if (unsupported != null) {
            if (environment.shipped() != null) {
                throw EnvironmentArchiveBuilder.unsupported(unsupported, "the interpreter of {@target.pythonArchive}");
            }
            if (!toEnv.isEmpty()) {
                String wheels = String.join(", ", toEnv.stream().map(w -> w.getFileName().toString()).toList());
                throw EnvironmentArchiveBuilder.unsupported(unsupported, request.layout() == Layout.ENVIRONMENT
                        ? "every dependency ({@layout=environment}): " + wheels : toEnv.size() == 1
                        ? "the wheel with compiled code " + wheels : "the wheels with compiled code " + wheels);
            }
            listener.log(Level.INFO, "No environment archive: the target's platform " + unsupported + " cannot run"
                    + " one (its bin/python, which checks the nodes' Python version, is a POSIX shell script), and"
                    + " every dependency is pure, so the py-files zip holds the whole bundle; the nodes' Python must"
                    + " be " + environment.major() + "." + environment.minor());
            environment = null;
        }
        Path envArchive = environment == null ? null : out.resolve(EnvironmentArchiveBuilder.fileName(
                request.finalName(), environment.format()));
        // The application directory holds everything the launch needs, the archives too (linked), so that each
        // launcher names the others relative to itself, in the build directory as in the unpacked spark-app archive.
        Path launchDir = appDirectory(out);
        Path zipInApp = launchDir.resolve(zip.getFileName());
        Path envInApp = envArchive == null ? null : launchDir.resolve(envArchive.getFileName());
        Path mainCopy = launchDir.resolve(main.getFileName().toString());
        Path launcher = launchDir.resolve(SparkSubmitScript.FILE_NAME);
        Path sparkApp = out.resolve(SparkAppArchive.fileName(request.finalName()));
        // A failed bundle leaves none of its outputs: a half set (a new zip beside a stale launcher) would run.
        String envSha = null;
        List<String> appFiles;
        try {
            PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(sources, toZip, zip, request.timestamp(), checks,
                    request.pyFilesZips()));
            if (envArchive != null) {
                envSha = environmentArchive(environment, toEnv, envArchive, request.timestamp());
            }
            Files.createDirectories(launchDir);
            placeInApp(zip, zipInApp);
            for (Path old : environmentsInApp(launchDir, request.finalName())) {
                Files.deleteIfExists(old); // a rebuild without native packages must not ship a stale one
            }
            if (envArchive != null) {
                placeInApp(envArchive, envInApp);
            }
            Files.copy(main, mainCopy, StandardCopyOption.REPLACE_EXISTING); // keeps the source's mode: reset it
            AtomicFile.readableByAll(mainCopy);
            appFiles = writeLaunch(request, launchDir, zipInApp, envInApp, envSha, mainCopy);
            // The probe goes with the application, so that the cluster can be described from an edge node; always,
            // so that the archive does not depend on whether the probe goal ran before.
            ClusterProbe.write(launchDir.resolve(ClusterProbe.SCRIPT));
            appFiles.add(ClusterProbe.SCRIPT);
            writeSparkApp(environment, launchDir, appFiles, request, sparkApp, envInApp, envSha);
        } catch (IOException | RuntimeException e) {
            List<Path> written = new java.util.ArrayList<>(List.of(zip, zipInApp, launcher, mainCopy, sparkApp,
                    launchDir.resolve("launch.json")));
            REMOTE_DESCRIPTORS.forEach(d -> written.add(launchDir.resolve(d)));
            written.addAll(environmentsInApp(launchDir, request.finalName()));
            if (envArchive != null) {
                written.add(envArchive);
            }
            for (Path p : written) {
                Files.deleteIfExists(p);
            }
            for (Path copies : List.of(launchDir.resolve("jars"), launchDir.resolve("files"))) {
                deleteFilesIn(copies);
            }
            throw e;
        }
        listener.log(Level.INFO, "Built py-files zip " + zip + " (" + BuildListener.count(sources.files().size(),
                "file") + "; "
                + (sources.topLevelNames().isEmpty() ? "no packages" : String.join(", ", sources.topLevelNames()))
                + (toZip.isEmpty() ? "" : "; " + BuildListener.count(toZip.size(), "dependency wheel"))
                + (request.pyFilesZips().isEmpty() ? "" : "; merged " + String.join(", ", request.pyFilesZips()
                .stream().map(PyFilesZipBuilder.ZipDependency::artifact).toList())) + ")");
        if (envArchive != null) {
            PythonArchive.Shipped shipped = environment.shipped();
            listener.log(Level.INFO, "Built environment archive " + envArchive + " ("
                    + BuildListener.count(toEnv.size(), "wheel") + (shipped == null ? "" : "; Python "
                    + shipped.version() + " shipped") + ")");
        }
        listener.log(Level.INFO, "Launcher: " + launcher + " [application arguments...]");
        listener.log(Level.INFO, "Application archive " + sparkApp + " (unpack it anywhere and run "
                + request.finalName() + "/" + SparkSubmitScript.FILE_NAME + ")");
        List<Path> outputs = new java.util.ArrayList<>(List.of(zip, sparkApp));
        if (envArchive != null) {
            outputs.add(envArchive);
        }
        appFiles.forEach(f -> outputs.add(launchDir.resolve(f)));
        return new BundleResult(zip, envArchive, launcher, mainCopy, placements, sparkApp, List.copyOf(outputs));
    }

    // The environment archive's place in the application directory, in either format.
    private static List<Path> environmentsInApp(Path launchDir, String finalName) {
        return java.util.Arrays.stream(EnvironmentArchiveBuilder.Format.values())
                .map(f -> launchDir.resolve(EnvironmentArchiveBuilder.fileName(finalName, f))).toList();
    }
}

package io.github.pybundle.maven;

import io.github.pybundle.core.event.PhaseTimer;

import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.project.BuildTimestamp;
import io.github.pybundle.core.project.ProjectPackager;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.net.Secrets;
import io.github.pybundle.core.lock.Locker;
import io.github.pybundle.core.probe.ClusterProbe;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.resolve.SourceBuilder;
import io.github.pybundle.core.target.Target;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Instant;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Parameters and behaviour shared by every pybundle goal: {@code skip}, error mapping, logging.
 */
public abstract class AbstractPyBundleMojo extends AbstractMojo {
    /** The project being built. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /** The running build, for its start time. */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    /** Attaches outputs to the project so that install and deploy publish them. */
    @Component
    protected MavenProjectHelper projectHelper;

    /**
     * Skips this goal.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * Directory holding the project's Python packages and modules.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.pythonSourceDirectory", defaultValue = "${project.basedir}/src/main/python",
            required = true)
    protected File pythonSourceDirectory;

    /**
     * The application's entry point, the script spark-submit runs. It is left out of the wheel and the py-files zip.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.mainScript", defaultValue = "${project.basedir}/src/main/python/main.py",
            required = true)
    protected File mainScript;

    /**
     * The Python distribution name of the project (wheel name and {@code Name} in its metadata).
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.distributionName", defaultValue = "${project.artifactId}", required = true)
    protected String distributionName;

    /**
     * The PEP 440 version of the project's distribution. By default the Maven version is mapped: 1.2.0-SNAPSHOT to
     * 1.2.0.dev0, 1.0-beta-2 to 1.0b2, 2.1-rc1 to 2.1rc1. Set this when the Maven version has a qualifier PEP 440
     * cannot express.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.distributionVersion")
    protected String distributionVersion;

    /**
     * Directory the outputs are written to.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.directory}", required = true)
    protected File outputDirectory;

    /**
     * Timestamp for reproducible output archives: ISO-8601 date-time with offset, or seconds since the epoch. When
     * unset, {@code SOURCE_DATE_EPOCH} is used, else the build's start.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    protected String outputTimestamp;

    /**
     * Whether to attach the outputs to the project, so that {@code install} and {@code deploy} publish them.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.attach", defaultValue = "true")
    protected boolean attach;

    /**
     * Requirements in PEP 508 form, e.g. {@code <requirement>pandas>=2,<3</requirement>}. Published as Requires-Dist
     * of the project wheel. An entry may end in {@code --hash=sha256:<hex>} options, as a requirements file line may
     * (since 0.2.0; the hashes are not published): that turns on hash-checking mode (see {@link #requireHashes}).
     *
     * @since 0.1.0
     */
    @Parameter
    protected List<String> requirements = new ArrayList<>();

    /**
     * Constraints in PEP 508 form: they restrict the versions of packages that are required anyway, and add none.
     * An entry may end in {@code --hash=sha256:<hex>} options (since 0.2.0): the files allowed for that package.
     *
     * @since 0.1.0
     */
    @Parameter
    protected List<String> constraints = new ArrayList<>();

    /**
     * pip requirements files ({@code -r}, {@code -c}, {@code --index-url}, {@code --hash} and the rest of pip's
     * format). Deployment inputs: not published in the wheel's metadata.
     *
     * @since 0.1.0
     */
    @Parameter
    protected List<File> requirementsFiles = new ArrayList<>();

    /**
     * pip's hash-checking mode ({@code pip install --require-hashes}) even when no requirement has a hash. The mode is
     * also on when any requirement or constraint has {@code --hash}, or a requirements file says
     * {@code --require-hashes}. Then every requirement of the pom and the requirements files must be pinned with
     * {@code ==} and have hashes, every package resolved (dependencies included) must have hashes from a requirement
     * or constraint, and only files that match them are locked and bundled; sha256, sha384 and sha512 are accepted.
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.requireHashes", defaultValue = "false")
    protected boolean requireHashes;

    /**
     * A pyproject.toml whose {@code [project]} dependencies, optional-dependencies, requires-python and
     * {@code [dependency-groups]} are read. Default: {@code pyproject.toml} in the base directory, when present.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.pyproject")
    protected File pyproject;

    /**
     * Extras of the pyproject ({@code [project.optional-dependencies]}) to include.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.extras")
    protected List<String> extras = new ArrayList<>();

    /**
     * PEP 735 dependency groups of the pyproject ({@code [dependency-groups]}) to include.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.dependencyGroups")
    protected List<String> dependencyGroups = new ArrayList<>();

    /**
     * The package indexes to use, in order; the first that has a project supplies all its versions. Each
     * {@code <index>} has an {@code <id>} (credentials come from the settings.xml {@code <server>} with that id) and
     * a {@code <url>}. Default: {@code <indexUrl>}, else the requirements files' {@code --index-url}, else pip's
     * configuration, else the public index.
     *
     * @since 0.1.0
     */
    @Parameter
    protected List<IndexSpec> indexes;

    /**
     * A single package index, with id {@code pybundle-index} for settings.xml credentials.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.indexUrl")
    protected String indexUrl;

    /**
     * Local directories or flat HTML pages of distribution files, consulted besides the indexes.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.findLinks")
    protected List<String> findLinks;

    /**
     * Binds projects to one index: {@code <internal-lib>corp</internal-lib>} takes internal-lib only from the index
     * with id corp.
     *
     * @since 0.1.0
     */
    @Parameter
    protected Map<String, String> indexPins;

    /**
     * Accept plain-http indexes (loopback addresses are always accepted).
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.allowInsecureIndex", defaultValue = "false")
    protected boolean allowInsecureIndex;

    /**
     * Use only the cache, as {@code mvn -o} does.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.offline", defaultValue = "false")
    protected boolean offline;

    /**
     * How many files are downloaded at once.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.downloadThreads", defaultValue = "4")
    protected int downloadThreads;

    /**
     * The longest one download or index request may take in all, in seconds, however steadily its bytes arrive (the
     * read timeout only bounds silence). Exceeding it fails the build without retrying.
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.downloadDeadline", defaultValue = "1800")
    protected int downloadDeadline;

    /**
     * The shared download cache. Default: {@code $XDG_CACHE_HOME/pybundle}, else {@code ~/.cache/pybundle}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.cacheDirectory")
    protected File cacheDirectory;

    /**
     * The cluster's interpreter and platform, for which dependencies are resolved: {@code <pythonVersion>} (required
     * when there are dependencies), {@code <pythonFullVersion>}, {@code <implementation>}, {@code <abis>},
     * {@code <platforms>} (default manylinux2014_x86_64), {@code <markerEnvironment>}, {@code <provided>} (packages the
     * cluster has, name==version) and {@code <sparkProvided>} (pyspark and py4j come with Spark; default true).
     *
     * @since 0.1.0
     */
    @Parameter
    protected TargetConfig target;

    /**
     * Admit pre-releases everywhere (otherwise only where a specifier names one, or nothing else fits).
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.pre", defaultValue = "false")
    protected boolean allowPrereleases;

    /**
     * Build pure-Python source distributions of packages that have no wheel, with a local interpreter of the target's
     * Python version ({@code pythonX.Y} on PATH or in pyenv). Only {@code py3-none-any} or {@code py2.py3-none-any}
     * results are kept.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.allowSourceBuilds", defaultValue = "false")
    protected boolean allowSourceBuilds;

    /**
     * The lock file.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.lockFile", defaultValue = "${project.basedir}/pylock.toml")
    protected File lockFile;

    /** Decrypts settings.xml passwords. */
    @Component
    protected SettingsDecrypter settingsDecrypter;

    /** Times this execution and its phases; reported when the goal ends. */
    protected PhaseTimer timer = new PhaseTimer();

    /** Passwords read for this build; masked wherever text reaches the user. */
    protected final Set<String> secrets = new HashSet<>();

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping " + goal() + ": pybundle.skip is true");
            return;
        }
        timer = new PhaseTimer();
        try {
            doExecute();
            String line = "Time in " + goal() + ": " + timer.summary();
            if (timer.hasPhases()) {
                getLog().info(line);
            } else {
                getLog().debug(line);
            }
        } catch (MojoExecutionException | MojoFailureException e) {
            throw e;
        } catch (Exception e) {
            Exception mapped = ErrorMapper.map(e, secrets);
            if (mapped instanceof MojoFailureException) {
                throw (MojoFailureException) mapped;
            }
            throw (MojoExecutionException) mapped;
        }
    }

    /** The goal's work, run unless skipped. */
    protected abstract void doExecute() throws Exception;

    /** The goal's name for messages, e.g. {@code pybundle:wheel}. */
    protected abstract String goal();

    /** The core packager, reporting into the Maven log. */
    protected ProjectPackager packager() {
        return new ProjectPackager(listener());
    }

    /** Renders core events into the Maven log. */
    protected BuildListener listener() {
        Log log = getLog();
        return (level, text) -> {
            String message = Secrets.mask(text, secrets);
            switch (level) {
                case WARN:
                    log.warn(message);
                    break;
                case INFO:
                    log.info(message);
                    break;
                default:
                    log.debug(message);
            }
        };
    }

    /** The time stamped into archive entries. */
    protected Instant timestamp() {
        Instant start = session != null && session.getRequest() != null && session.getRequest().getStartTime() != null
                ? session.getRequest().getStartTime().toInstant()
                : Instant.now();
        return BuildTimestamp.resolve(outputTimestamp, System.getenv("SOURCE_DATE_EPOCH"), start);
    }

    /** Reads and validates every declared requirement; called first by each goal so that typos fail early. */
    protected DeclaredRequirements declaredRequirements() throws IOException {
        Path base = project.getBasedir() == null ? Path.of("") : project.getBasedir().toPath();
        Path pp = pyproject != null ? pyproject.toPath() : base.resolve("pyproject.toml");
        List<Path> files = new ArrayList<>();
        requirementsFiles.forEach(f -> files.add(f.toPath()));
        return DeclaredRequirements.collect(new DeclaredRequirements.Request(nonNull(requirements),
                nonNull(constraints), files, pp, pyproject != null, nonNull(extras), nonNull(dependencyGroups),
                System.getenv(), requireHashes));
    }

    private static List<String> nonNull(List<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            values.stream().filter(v -> v != null && !v.isBlank()).forEach(out::add);
        }
        return out;
    }

    /** The package sources, network and cache for this build, from the pom, settings.xml and pip's configuration. */
    protected IndexConfiguration indexConfiguration(DeclaredRequirements declared) throws IOException {
        return IndexSettings.build(this, declared.files(), secrets);
    }

    /** The validated target; fails when dependencies need one and none is configured. */
    protected Target resolvedTarget() throws IOException {
        TargetConfig t = target == null ? new TargetConfig() : target;
        if (t.environmentFile != null) {
            return Target.of(ClusterProbe.read(t.environmentFile.toPath()).spec());
        }
        return Target.of(new Target.Spec(t.pythonVersion, t.pythonFullVersion, t.implementation, t.abis,
                t.platforms, t.markerEnvironment));
    }

    /** {@code <provided>} plus pyspark/py4j unless {@code <sparkProvided>false}. */
    protected Map<String, String> providedPackages() throws IOException {
        TargetConfig t = target == null ? new TargetConfig() : target;
        Map<String, String> provided = new java.util.TreeMap<>();
        if (t.environmentFile != null) {
            provided.putAll(ClusterProbe.read(t.environmentFile.toPath()).installed());
        }
        provided.putAll(Locker.provided(t.provided == null ? List.of() : t.provided, t.sparkProvided));
        return provided;
    }

    /** Resolves the declared requirements for the target (as {@code lock} and {@code tree} do). */
    protected Locker.Result resolveForTarget() throws IOException {
        DeclaredRequirements declared = declaredRequirements();
        Target t = resolvedTarget();
        IndexConfiguration config = indexConfiguration(declared);
        return new Locker(listener()).lock(declared, t, providedPackages(), allowPrereleases, config,
                lockFile.toPath(), sourceBuilder(t, config));
    }

    /** The sdist builder when {@code <allowSourceBuilds>} is on, else null. */
    protected SourceBuilder sourceBuilder(Target t, IndexConfiguration config) {
        return allowSourceBuilds ? new SourceBuilder(t, config.cacheRoot(), System.getenv(), listener()) : null;
    }

    /** The project identity for the core. */
    protected ProjectPackager.Identity identity() {
        return new ProjectPackager.Identity(distributionName, project.getVersion(), distributionVersion);
    }
}

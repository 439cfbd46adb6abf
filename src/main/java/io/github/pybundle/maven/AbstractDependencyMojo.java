package io.github.pybundle.maven;

import io.github.pybundle.core.app.DependencyRequest;
import io.github.pybundle.core.app.IndexSource;
import io.github.pybundle.core.app.TargetRequest;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.target.Target;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The parameters of the goals that read dependencies (as maven-dependency-plugin groups its filter parameters):
 * where requirements are declared, where packages come from, the cluster's target, the lock.
 */
public abstract class AbstractDependencyMojo extends AbstractPyBundleMojo {
    /**
     * Requirements in PEP 508 form, e.g. {@code <requirement>pandas>=2,&lt;3</requirement>} (XML: {@code <} is
     * written {@code &lt;}, or the string goes in CDATA). Published as Requires-Dist of the project wheel. An entry
     * may end in {@code --hash=sha256:<hex>} options, as a requirements file line may (since 0.2.0; the hashes are not
     * published): that turns on hash-checking mode (see {@link #requireHashes}).
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
     * cluster has, name==version), {@code <sparkProvided>} (pyspark and py4j come with Spark; default true),
     * {@code <interpreter>} (the nodes' Python command, default python3), {@code <pythonArchive>} with
     * {@code <pythonArchiveSha256>} (a relocatable CPython shipped in the environment archive: a path, an https URL,
     * or groupId:artifactId:version[:type[:classifier]]). {@code <profile>} (since 0.2.0) fills the target from a named
     * cluster profile ({@code mvn pybundle:profiles} lists them) or from a probe.py output ending in {@code .json};
     * explicit elements replace the profile's values and {@code <provided>} entries are added to its own.
     * {@code <environmentFile>} (a probe.py output: the whole target, its installed packages provided) and
     * {@code <ignoreProvidedFromProbe>} (since 0.2.0: names of packages the probe found that are bundled all the same),
     * and {@code <allowNativeMismatch>} (since 0.2.0: packages whose native code may need more than the platform
     * provides: a warning instead of an error).
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

    /** Resolves {@code <target><pythonArchive>} given as Maven coordinates. */
    @Component
    protected org.eclipse.aether.RepositorySystem repositorySystem;

    /** The dependency parameters as a core request. */
    protected DependencyRequest dependencyRequest() {
        Path base = project.getBasedir() == null ? Path.of("") : project.getBasedir().toPath();
        Path pp = pyproject != null ? pyproject.toPath() : base.resolve("pyproject.toml");
        List<Path> files = new ArrayList<>();
        requirementsFiles.forEach(f -> files.add(f.toPath()));
        DeclaredRequirements.Request declared = new DeclaredRequirements.Request(nonNull(requirements),
                nonNull(constraints), files, pp, pyproject != null, nonNull(extras), nonNull(dependencyGroups),
                System.getenv(), requireHashes);
        return new DependencyRequest(declared, targetRequest(), allowPrereleases, allowSourceBuilds,
                lockFile == null ? null : lockFile.toPath(), System.getenv());
    }

    /** The pom's {@code <target>} as a core request. */
    protected TargetRequest targetRequest() {
        TargetConfig t = target == null ? new TargetConfig() : target;
        return new TargetRequest(new Target.Spec(t.pythonVersion, t.pythonFullVersion, t.implementation, t.abis,
                t.platforms, t.markerEnvironment), t.environmentFile == null ? null : t.environmentFile.toPath(),
                t.provided, t.sparkProvided, t.interpreter, shipsInterpreter() ? PythonArchives.source(t, this)
                : null, profile(t.profile), t.ignoreProvidedFromProbe, t.allowNativeMismatch);
    }

    /** The Spark version the built-in {@code <target><profile>} documents, or null. */
    protected String profileSparkVersion() {
        return target == null ? null : new TargetRequest(null, null, null, true, null, null, target.profile,
                List.of(), List.of()).sparkVersion();
    }

    /** The profile as the core takes it: a probe output's path resolved against the project, else the name. */
    private String profile(String profile) {
        if (!TargetRequest.isProfileFile(profile)) {
            return profile;
        }
        Path p = Path.of(profile.strip());
        return (p.isAbsolute() || project == null || project.getBasedir() == null ? p
                : project.getBasedir().toPath().resolve(p)).toString();
    }

    /** Whether this goal ships {@code <target><pythonArchive>} (then it is resolved). */
    protected boolean shipsInterpreter() {
        return false;
    }

    /** The package sources: the pom's index parameters, settings.xml (servers, proxies, offline), pip's config. */
    protected IndexSource indexSource() {
        return files -> IndexSettings.build(this, files, secrets);
    }

    private static List<String> nonNull(List<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            values.stream().filter(v -> v != null && !v.isBlank()).forEach(out::add);
        }
        return out;
    }
}

package io.github.pybundle.core.lock;

import io.github.pybundle.core.Generator;
import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.cache.HashMismatchException;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.index.Downloader;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.requirements.DeclaredRequirement;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.requirements.HashPolicy;
import io.github.pybundle.core.requirements.HashesRequiredException;
import io.github.pybundle.core.net.Secrets;
import io.github.pybundle.core.resolve.IndexProvider;
import io.github.pybundle.core.resolve.Lookahead;
import io.github.pybundle.core.resolve.ResolutionException;
import io.github.pybundle.core.resolve.ResolutionFailure;
import io.github.pybundle.core.resolve.ResolutionReporter;
import io.github.pybundle.core.resolve.Resolution;
import io.github.pybundle.core.resolve.Resolver;
import io.github.pybundle.core.resolve.SourceBuilder;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.Specifier;
import io.github.pybundle.core.spec.pep508.Requirement;
import io.github.pybundle.core.target.Target;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Resolves the declared requirements for the target and records the result as a pylock.toml. */
public final class Locker {
    /** Seconds between two progress lines while resolving. */
    static final long PROGRESS_SECONDS = 3;

    /** The packages Spark ships with; provided unless the user says otherwise. */
    public static final List<String> SPARK_PROVIDED = List.of("pyspark", "py4j");

    private final BuildListener listener;
    private final Lookahead lookahead;

    public Locker(BuildListener listener) {
        this(listener, Lookahead.none());
    }

    /** A locker whose resolver tells {@code lookahead} of each wheel it takes (to fetch it meanwhile). */
    public Locker(BuildListener listener, Lookahead lookahead) {
        this.listener = listener;
        this.lookahead = lookahead;
    }

    /**
     * Reads {@code <provided>} entries: a bare name (any version) or {@code name==version}.
     *
     * @throws InvalidConfigurationException for any other form
     */
    public static Map<String, String> provided(List<String> entries, boolean sparkProvided) {
        Map<String, String> out = new TreeMap<>();
        if (sparkProvided) {
            SPARK_PROVIDED.forEach(n -> out.put(n, ""));
        }
        for (String e : entries) {
            Requirement r;
            try {
                r = Requirement.parse(e);
            } catch (PyBundleException ex) {
                throw new InvalidConfigurationException("target", e, "{@target.provided} entry '" + e
                        + "' is not a requirement: " + ex.getMessage(), "write name==version, e.g. numpy==1.24.4");
            }
            List<Specifier> specs = r.specifier().specifiers();
            if (specs.size() > 1 || specs.size() == 1 && (specs.get(0).operator() != Specifier.Operator.EQUAL
                    || specs.get(0).version().endsWith(".*"))) {
                throw new InvalidConfigurationException("target", e, "{@target.provided} entry '" + e
                        + "' must name one exact version (or none)", "write name==version, e.g. numpy==1.24.4");
            }
            out.put(r.normalizedName(), specs.isEmpty() ? "" : specs.get(0).version());
        }
        return out;
    }

    /** What a lock records of its inputs, so that drift can be seen without network. */
    public static Map<String, List<String>> inputs(DeclaredRequirements declared, Target target,
                                                   Map<String, String> provided) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("requirements", declared.requirements().stream().map(d -> d.requirement().toString()).sorted().toList());
        m.put("constraints", declared.constraints().stream().map(d -> d.requirement().toString()).sorted().toList());
        List<String> t = new ArrayList<>();
        t.add("implementation=" + target.implementation());
        t.add("python=" + target.fullVersion());
        target.abis().forEach(a -> t.add("abi=" + a));
        target.platforms().forEach(p -> t.add("platform=" + p));
        new TreeMap<>(target.markers().asMap()).forEach((k, v) -> t.add("marker:" + k + "=" + v));
        m.put("target", t);
        List<String> p = new ArrayList<>();
        provided.forEach((k, v) -> p.add(v.isEmpty() ? k : k + "==" + v));
        m.put("provided", p);
        if (declared.hashes().enabled()) {
            m.put("hashes", declared.hashes().inputs()); // editing a hash makes the lock out of date
        }
        return m;
    }

    // A project no source has is most often a typo: when the failure is one, every declared project no source has is
    // named at once (their pages are fetched already, or cheaply now), not only the first the resolver met.
    private static PyBundleException everyUnknownProject(ResolutionException e, List<Resolver.Root> roots,
                                                         IndexProvider provider, Target target,
                                                         IndexConfiguration config) throws IOException {
        if (!(e.failure() instanceof ResolutionFailure.NoVersion f) || f.offer() == null || f.offer().known()) {
            return e;
        }
        List<Resolver.Root> missing = new ArrayList<>();
        for (Resolver.Root root : roots) {
            if (root.requirement().url() == null && root.requirement().appliesTo(target.markers(), null)
                    && missing.stream().noneMatch(m -> m.requirement().normalizedName().equals(root.requirement()
                    .normalizedName()))) {
                var v = provider.versions(root.requirement().normalizedName());
                if (v.usable().isEmpty() && v.rejected().isEmpty()) {
                    missing.add(root);
                }
            }
        }
        if (missing.isEmpty()) {
            return e; // a dependency's name, not a declared one
        }
        List<String> sources = new ArrayList<>();
        config.indexes().forEach(s -> sources.add(Secrets.mask(s.url())));
        config.findLinks().forEach(s -> sources.add(Secrets.mask(s.url())));
        List<String> hints = new ArrayList<>();
        Set<String> known = localProjectNames(config);
        for (Resolver.Root m : missing) {
            List<String> close = known.stream().filter(k -> editDistance(k, m.requirement().normalizedName()) <= 2)
                    .sorted().toList();
            if (!close.isEmpty()) {
                hints.add("did you mean " + String.join(" or ", close) + " instead of " + m.requirement().name() + "?");
            }
        }
        hints.add(ResolutionReporter.MISSPELT_HINT);
        return new PyBundleException(ResolutionReporter.unknownProjects(missing, sources), hints);
    }

    // The projects of the local find-links directories, which cost a directory listing; a remote index's full list
    // (PyPI's has over half a million names) is not fetched for a suggestion.
    private static Set<String> localProjectNames(IndexConfiguration config) {
        Set<String> names = new java.util.TreeSet<>();
        for (var s : config.findLinks()) {
            if (!"file".equalsIgnoreCase(s.url().getScheme())) {
                continue;
            }
            try (var files = java.nio.file.Files.list(Path.of(s.url()))) {
                files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".whl") || f.endsWith(".tar.gz"))
                        .map(f -> f.substring(0, Math.max(0, f.indexOf('-')))).filter(n -> !n.isEmpty())
                        .map(ProjectName::normalize).forEach(names::add);
            } catch (IOException | RuntimeException unreadable) {
                // no suggestion from it
            }
        }
        return names;
    }

    // Levenshtein distance, for "did you mean".
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1)
                        == b.charAt(j - 1) ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.length()];
    }

    /**
     * Whether a lock still answers the declared requirements for the target, judged without the network: its inputs
     * are the current ones, or its versions still satisfy them ({@link LockSatisfaction}).
     */
    public static boolean isCurrent(Pylock lock, DeclaredRequirements declared, Target target,
                                    Map<String, String> provided, boolean allowPrereleases) {
        Map<String, List<String>> current = inputs(declared, target, provided);
        return drift(lock, current).isEmpty() || LockSatisfaction.check(lock, current, declared.requirements(),
                declared.constraints(), target.markers(), allowPrereleases).satisfied();
    }

    /** The differences between a lock's recorded inputs and the current ones; empty when it is up to date. */
    public static List<String> drift(Pylock lock, Map<String, List<String>> current) {
        List<String> out = new ArrayList<>();
        if (lock.inputs().isEmpty()) {
            return out; // another tool's lock: trusted as long as it is for the target (checked by the caller)
        }
        for (Map.Entry<String, List<String>> e : current.entrySet()) {
            List<String> before = lock.inputs().getOrDefault(e.getKey(), List.of());
            List<String> added = e.getValue().stream().filter(v -> !before.contains(v)).toList();
            List<String> removed = before.stream().filter(v -> !e.getValue().contains(v)).toList();
            if (!added.isEmpty() || !removed.isEmpty()) {
                out.add(e.getKey() + ": " + (added.isEmpty() ? "" : "added " + added)
                        + (!added.isEmpty() && !removed.isEmpty() ? ", " : "") + (removed.isEmpty() ? ""
                        : "removed " + removed));
            }
        }
        return out;
    }

    /** Resolves and returns the resolution with the lock it makes. */
    public record Result(Resolution resolution, Pylock lock) {
    }

    /** Resolves, building pure-Python sdists with {@code builder} when it is not null. */
    public Result lock(DeclaredRequirements declared, Target target, Map<String, String> provided,
                       boolean allowPrereleases, IndexConfiguration config, Path lockFile,
                       SourceBuilder builder) throws IOException {
        HashPolicy hashes = declared.hashes().forTarget(target.markers());
        hashes.validate(provided.keySet());
        IndexConfiguration.Repository repo = config.open(listener);
        List<Resolver.Root> roots = new ArrayList<>();
        for (DeclaredRequirement d : declared.requirements()) {
            roots.add(new Resolver.Root(d.requirement(), d.source()));
        }
        List<Resolver.Root> constraints = new ArrayList<>();
        for (DeclaredRequirement d : declared.constraints()) {
            constraints.add(new Resolver.Root(d.requirement(), d.source()));
        }
        long start = System.nanoTime();
        IndexProvider provider = new IndexProvider(repo, target, builder, hashes, lookahead);
        provider.prefetch(roots.stream().filter(root -> root.requirement().url() == null)
                .map(root -> root.requirement().name()).toList());
        Resolution r;
        // Resolution may take a while on a real index: a line every few seconds says it is moving, and where.
        java.util.concurrent.ScheduledExecutorService ticker = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(t -> {
                    Thread th = new Thread(t, "pybundle-progress");
                    th.setDaemon(true);
                    return th;
                });
        ticker.scheduleAtFixedRate(() -> listener.log(Level.INFO, String.format(java.util.Locale.ROOT,
                "Resolving for %s (%.0f s): %s", target.describe(), (System.nanoTime() - start) / 1e9,
                provider.progress())), PROGRESS_SECONDS, PROGRESS_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        try {
            r = new Resolver(provider).resolve(new Resolver.Request(roots, constraints, provided, allowPrereleases,
                    target.markers(), target.describe()));
        } catch (ResolutionException e) {
            throw everyUnknownProject(e, roots, provider, target, config);
        } finally {
            ticker.shutdownNow();
            provider.close(); // the digests it learnt stay readable
        }
        listener.log(Level.INFO, String.format(java.util.Locale.ROOT, "Resolved %s for %s in %.1f s",
                BuildListener.count(r.pins().size(), "package"), target.describe(), (System.nanoTime() - start) / 1e9));
        Map<String, String> indexUrls = new LinkedHashMap<>();
        config.indexes().forEach(s -> indexUrls.put(s.id(), s.url().toString()));
        List<LockedPackage> packages = new ArrayList<>();
        List<String> unhashed = new ArrayList<>();
        for (Resolution.Pin pin : r.pins()) {
            var c = pin.candidate();
            var f = c.file();
            String sha = provider.digestsOf(f).get("sha256");
            if (sha == null) { // an index without digests: fetch once to record one
                sha = Digests.sha256Hex(repo.downloader().fetch(
                        new Downloader.Request(f, null)));
            }
            Map<String, String> otherHashes = new TreeMap<>();
            if (hashes.enabled() && !hashes.covers(c.name())) {
                unhashed.add(c.name() + "==" + c.version() + " --hash=sha256:" + sha + "    # required by "
                        + String.join(", ", pin.requiredBy().stream().map(x -> x.parent() == null ? x.source()
                        : x.parent() + " " + x.parentVersion()).distinct().toList()));
            } else if (hashes.enabled()) {
                // The resolver was offered only matching files; this is the last look before the lock records one.
                String problem = provider.hashProblem(c);
                if (problem != null) {
                    throw new HashMismatchException(problem, IndexProvider.MISMATCH_HINTS);
                }
                Map<String, String> known = provider.digestsOf(f);
                hashes.algorithms(c.name()).stream().filter(a -> !a.equals("sha256") && known.containsKey(a))
                        .forEach(a -> otherHashes.put(a, known.get(a)));
            }
            boolean local = "file".equals(f.url().getScheme());
            List<String> deps = pin.dependencies().stream().map(Requirement::normalizedName)
                    .filter(n -> !n.equals(c.name()) && r.pins().stream().anyMatch(p -> p.candidate().name()
                            .equals(n))).distinct().sorted().toList();
            packages.add(new LockedPackage(c.name(), c.version().toString(), indexUrls.get(f.sourceId()),
                    f.filename(), local ? null : stripUserInfo(f.url()), local ? relative(lockFile, Path.of(f.url()))
                    : null, f.size(), sha, deps, !f.isWheel(), otherHashes));
        }
        if (!unhashed.isEmpty()) {
            unhashed.sort(null);
            throw new HashesRequiredException("Hashes are required in hash-checking mode (on because of "
                    + hashes.trigger() + "), but they are missing for packages the resolution needs: no requirement"
                    + " or constraint gives hashes for them. These lines would allow the files chosen (check the"
                    + " hashes against a source you trust first):\n  " + String.join("\n  ", unhashed),
                    List.of("add the lines to a requirements file, or to a constraints file (-c) to allow the files"
                            + " without requiring the packages directly"));
        }
        Pylock lock = new Pylock(List.of(target.environmentMarker()), "==" + target.major() + "." + target.minor()
                + ".*", "pybundle " + Generator.VERSION, packages, inputs(declared, target, provided));
        return new Result(r, lock);
    }

    private static String stripUserInfo(URI u) {
        return u.getRawUserInfo() == null ? u.toString() : u.toString().replace(u.getRawUserInfo() + "@", "");
    }

    private static String relative(Path lockFile, Path wheel) {
        Path base = lockFile.toAbsolutePath().getParent();
        return base.relativize(wheel.toAbsolutePath()).toString().replace('\\', '/');
    }

}

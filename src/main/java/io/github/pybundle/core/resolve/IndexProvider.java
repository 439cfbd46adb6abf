package io.github.pybundle.core.resolve;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.cache.HashMismatchException;
import io.github.pybundle.core.index.DistributionFile;
import io.github.pybundle.core.index.Downloader;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.ProjectPage;
import io.github.pybundle.core.requirements.HashPolicy;
import io.github.pybundle.core.spec.dist.SdistFilename;
import io.github.pybundle.core.spec.dist.WheelFilename;
import io.github.pybundle.core.spec.metadata.CoreMetadataFile;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.SpecifierSet;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.spec.pep508.Requirement;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.core.wheel.WheelSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Facts for the resolver from the configured package sources: for each version, the wheel the target prefers
 * (highest-priority tag), whether the index's {@code requires-python} admits the target, and the dependencies read
 * from the wheel's metadata (PEP 658 file or range reads; the wheel is downloaded only as a last resort).
 */
public final class IndexProvider implements ResolutionProvider, AutoCloseable {
    private final IndexConfiguration.Repository repository;
    private final Target target;
    private final SourceBuilder builder; // null: sdists are not built
    // Project pages asked for ahead of the resolver: when a candidate's dependencies are read, their pages are
    // fetched in the background, so that the resolver rarely waits for one round trip after another.
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.Future<ProjectPage>> pages =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ThreadPoolExecutor prefetch = prefetchPool();
    private final HashPolicy hashes;
    private final Lookahead lookahead;
    // Digests computed here (hash-checking mode), by file URL: algorithm → hex.
    private final java.util.concurrent.ConcurrentHashMap<java.net.URI, Map<String, String>> digests =
            new java.util.concurrent.ConcurrentHashMap<>();
    // Per hashed package: the usable versions the declarations with hashes admit and not yet found to mismatch, and
    // the files found not to match (for the message when none is left).
    private final Map<String, java.util.Set<Version>> hashAdmitted = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, List<String>> hashMismatches = new java.util.concurrent.ConcurrentHashMap<>();

    public IndexProvider(IndexConfiguration.Repository repository, Target target) {
        this(repository, target, null);
    }

    public IndexProvider(IndexConfiguration.Repository repository, Target target, SourceBuilder builder) {
        this(repository, target, builder, HashPolicy.off());
    }

    /**
     * A provider that, in hash-checking mode, offers only files that match the hashes declared for their package.
     *
     * @param hashes the policy for this target ({@link HashPolicy#forTarget})
     */
    public IndexProvider(IndexConfiguration.Repository repository, Target target, SourceBuilder builder,
                         HashPolicy hashes) {
        this(repository, target, builder, hashes, Lookahead.none());
    }

    /**
     * A provider that also tells {@code lookahead} of each wheel the resolver takes, as soon as it takes it.
     *
     * @param lookahead told of each candidate the resolver pins (whose dependencies it follows)
     */
    public IndexProvider(IndexConfiguration.Repository repository, Target target, SourceBuilder builder,
                         HashPolicy hashes, Lookahead lookahead) {
        this.repository = repository;
        this.target = target;
        this.builder = builder;
        this.hashes = hashes;
        this.lookahead = lookahead;
    }

    /**
     * Stops fetching pages ahead and waits for fetches under way: nothing may write the page cache after the
     * resolution returns (a test's temporary directory, or a concurrent clean, would see files appear).
     */
    @Override
    public void close() {
        prefetch.shutdownNow();
        try {
            prefetch.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadPoolExecutor prefetchPool() {
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(6, 6, 2,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "pybundle-prefetch");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true); // idle threads end: nothing outlives the resolution for long
        return pool;
    }

    /**
     * Asks for these projects' pages in the background (the root requirements: their pages are needed first, and
     * fetched together instead of one after the other).
     */
    public void prefetch(java.util.Collection<String> names) {
        names.forEach(this::page);
    }

    // The metadata of each project's newest usable wheel, read ahead of the resolver (which usually takes it), with
    // the pages of its dependencies: the whole graph is fetched while the resolver works. Not a pre-release or a
    // yanked version. The PEP 658 metadata file where the index has one, else METADATA read with HTTP range requests
    // (a few kilobytes), else the whole wheel, through the cache (what the resolver would read first anyway, and the
    // download if it is chosen); a failure here is left for dependencies() to meet and report.
    private final java.util.concurrent.ConcurrentHashMap<java.net.URI, java.util.concurrent.Future<CoreMetadataFile>>
            metadataAhead = new java.util.concurrent.ConcurrentHashMap<>();

    private void readAhead(List<Candidate> usable) {
        Candidate next = usable.stream().filter(c -> !c.yanked() && !c.version().isPrerelease()).findFirst()
                .orElse(null);
        if (next == null || !next.file().isWheel()) {
            return;
        }
        metadataAhead.computeIfAbsent(next.file().url(), u -> prefetch.submit(() -> {
            CoreMetadataFile md = repository.listener().timing("metadata reads", () -> repository.metadata()
                    .metadata(next.file()));
            for (Requirement r : md.requiresDist()) {
                if (r.url() == null && (r.marker() == null || appliesSomehow(r))) {
                    page(r.name());
                }
            }
            return md;
        }));
    }

    // The metadata read ahead for this wheel, or null when it was not (or failed: read again, to report it).
    private CoreMetadataFile readAheadFor(DistributionFile file) {
        java.util.concurrent.Future<CoreMetadataFile> f = metadataAhead.get(file.url());
        if (f == null) {
            return null;
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            return null;
        }
    }

    // The versions computed as soon as a page arrived (not in hash-checking mode, where computing them has effects):
    // the resolver takes them from here.
    private final java.util.concurrent.ConcurrentHashMap<String, Versions> computed =
            new java.util.concurrent.ConcurrentHashMap<>();

    // A page is fetched in the background; as soon as it is there, its newest usable wheel's metadata is read, and
    // then its dependencies' pages: the graph is crawled ahead of the resolver.
    private java.util.concurrent.Future<ProjectPage> page(String name) {
        return pages.computeIfAbsent(ProjectName.normalize(name), n -> prefetch.submit(() -> {
            ProjectPage page = repository.finder().find(n);
            if (page != null && !hashes.covers(n)) {
                try {
                    Versions v = compute(n, page);
                    computed.put(n, v);
                    readAhead(v.usable());
                } catch (IOException | RuntimeException e) {
                    // the resolver computes them again and reports what is wrong
                }
            }
            return page;
        }));
    }

    private volatile String considering = "";
    private final java.util.concurrent.atomic.AtomicInteger considered = new java.util.concurrent.atomic
            .AtomicInteger();

    /**
     * How far resolution has come, for a progress line: project pages read (of those asked for so far), versions
     * whose metadata was read, and the project being looked at.
     */
    public String progress() {
        long read = pages.values().stream().filter(java.util.concurrent.Future::isDone).count();
        return read + " of " + pages.size() + " project pages read, " + considered.get() + " candidate versions"
                + " examined" + (considering.isEmpty() ? "" : ", now " + considering);
    }

    private ProjectPage await(java.util.concurrent.Future<ProjectPage> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the index", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(c);
        }
    }

    @Override
    public Versions versions(String name) throws IOException {
        ProjectPage page = repository.listener().timing("resolver waiting for pages", () -> await(page(name)));
        if (page == null) {
            return new Versions(List.of(), List.of());
        }
        Versions known = name.equals(ProjectName.normalize(name)) ? computed.get(name) : null;
        return known != null ? known : compute(name, page);
    }

    // The usable and rejected versions of a project from its page, for the target.
    private Versions compute(String name, ProjectPage page) throws IOException {
        Map<Version, List<DistributionFile>> byVersion = new TreeMap<>(Comparator.reverseOrder());
        // Each wheel's name parsed once (a large project's page lists thousands of wheels)
        Map<DistributionFile, WheelFilename> wheels = new java.util.IdentityHashMap<>();
        for (DistributionFile f : page.files()) {
            Version v;
            if (f.isWheel()) {
                WheelFilename w = wheelOf(f.filename(), name);
                if (w != null) {
                    wheels.put(f, w);
                }
                v = w == null ? null : w.version();
            } else {
                v = versionOf(f.filename(), name);
            }
            if (v != null) {
                byVersion.computeIfAbsent(v, k -> new ArrayList<>()).add(f);
            }
        }
        boolean hashed = hashes.covers(name);
        List<String> mismatchedInRange = new ArrayList<>(); // files of versions the hashed declarations admit
        List<String> mismatched = new ArrayList<>();
        List<Candidate> usable = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        for (Map.Entry<Version, List<DistributionFile>> e : byVersion.entrySet()) {
            DistributionFile best = null;
            int bestRank = Integer.MAX_VALUE;
            boolean bestVerified = false; // in hash-checking mode: whether best is known to match the hashes
            boolean anyWheel = false;
            String pythonMismatch = null;
            List<String> hashMismatch = new ArrayList<>();
            for (DistributionFile f : e.getValue()) {
                if (!f.isWheel()) {
                    continue;
                }
                anyWheel = true;
                Optional<Integer> rank = target.tags().bestRank(wheels.get(f).tags());
                if (rank.isEmpty()) {
                    continue;
                }
                if (!admitsTarget(f.requiresPython())) {
                    pythonMismatch = f.requiresPython();
                    continue;
                }
                // pip picks among the files that match the hashes; a file the index gives no comparable digest for
                // is a fallback, hashed when the resolver gets to it.
                boolean verified = true;
                if (hashed) {
                    HashPolicy.Verdict v = verdict(name, f, admittedByHashedDeclarations(name, e.getKey()));
                    if (v == HashPolicy.Verdict.MISMATCH) {
                        hashMismatch.add(hashes.describeFile(name, f.filename(), digestsOf(f)));
                        continue;
                    }
                    verified = v == HashPolicy.Verdict.MATCH;
                }
                if (verified && !bestVerified || verified == bestVerified && rank.get() < bestRank) {
                    best = f;
                    bestRank = rank.get();
                    bestVerified = verified;
                }
            }
            if (!hashMismatch.isEmpty()) {
                mismatched.addAll(hashMismatch);
                if (admittedByHashedDeclarations(name, e.getKey())) {
                    mismatchedInRange.addAll(hashMismatch);
                }
            }
            if (best != null) {
                usable.add(new Candidate(name, e.getKey(), best, best.isYanked(), false));
            } else if (!hashMismatch.isEmpty()) {
                rejected.add(new Rejected(e.getKey(), "no file matches the allowed hashes: "
                        + String.join("; ", hashMismatch)));
            } else if (pythonMismatch != null) {
                rejected.add(new Rejected(e.getKey(), "requires Python " + pythonMismatch));
            } else if (builderWouldBuild(e.getValue())) {
                DistributionFile sdist = e.getValue().stream().filter(f -> !f.isWheel()).findFirst().orElseThrow();
                if (!admitsTarget(sdist.requiresPython())) {
                    rejected.add(new Rejected(e.getKey(), "requires Python " + sdist.requiresPython()));
                } else if (hashed && verdict(name, sdist, admittedByHashedDeclarations(name, e.getKey()))
                        == HashPolicy.Verdict.MISMATCH) {
                    String file = hashes.describeFile(name, sdist.filename(), digestsOf(sdist));
                    mismatched.add(file);
                    if (admittedByHashedDeclarations(name, e.getKey())) {
                        mismatchedInRange.add(file);
                    }
                    rejected.add(new Rejected(e.getKey(), "no file matches the allowed hashes: " + file));
                } else {
                    usable.add(new Candidate(name, e.getKey(), sdist, sdist.isYanked(), false));
                }
            } else if (anyWheel) {
                rejected.add(new Rejected(e.getKey(), "no wheel for " + target.describe() + " (has "
                        + e.getValue().stream().filter(DistributionFile::isWheel).limit(3)
                        .map(f -> f.filename().replaceFirst("^[^-]+-[^-]+-", "").replaceFirst("\\.whl$", ""))
                        .toList() + ")" + (hasSdist(e.getValue()) ? "; its source distribution would be built with"
                        + " {@allowSourceBuilds}" : "")));
            } else {
                rejected.add(new Rejected(e.getKey(), "only a source distribution ("
                        + e.getValue().get(0).filename() + "): set {@allowSourceBuilds} to build it (pure-Python"
                        + " code), or build a wheel into a {@findLinks} directory"));
            }
        }
        if (hashed) {
            java.util.Set<Version> admitted = java.util.concurrent.ConcurrentHashMap.newKeySet();
            usable.stream().map(Candidate::version).filter(v -> admittedByHashedDeclarations(name, v))
                    .forEach(admitted::add);
            hashAdmitted.put(name, admitted);
            hashMismatches.put(name, new java.util.concurrent.CopyOnWriteArrayList<>(
                    mismatchedInRange.isEmpty() ? mismatched : mismatchedInRange));
            if (admitted.isEmpty() && !mismatched.isEmpty()) {
                throw hashMismatch(name);
            }
        }
        return new Versions(usable, rejected);
    }

    // Nothing can satisfy the declarations that carry the hashes: said plainly, not as a version conflict.
    private HashMismatchException hashMismatch(String name) {
        List<String> shown = hashMismatches.getOrDefault(name, List.of());
        return new HashMismatchException(hashes.mismatch(name, shown.size() <= 3 ? shown : List.of(String.join(
                "; ", shown.subList(0, 3)) + "; and " + (shown.size() - 3) + " more")), MISMATCH_HINTS);
    }

    /** What to do about a file that does not match its declared hashes. */
    public static final List<String> MISMATCH_HINTS = List.of(
            "if the hash was taken from another file (another version or platform), replace it with the digest of the"
                    + " file for the target: pip hash FILE, or the sha256 the index lists",
            "if the hash is right, the index serves another file than the one that was hashed (a rebuilt wheel, an"
                    + " out-of-sync mirror, tampering): do not change the hash before you know why");

    // An sdist is built, as pip does, when no wheel of its version fits the target (none, or only others').
    private boolean builderWouldBuild(List<DistributionFile> files) {
        return builder != null && hasSdist(files);
    }

    private static boolean hasSdist(List<DistributionFile> files) {
        return files.stream().anyMatch(f -> !f.isWheel() && (f.filename().endsWith(".tar.gz")
                || f.filename().endsWith(".zip")));
    }

    private boolean admittedByHashedDeclarations(String name, Version v) {
        return hashes.rules(name).stream().allMatch(d -> d.requirement().specifier().contains(v, true));
    }

    /** The digests known of a file: those the index states, and those computed here (algorithm → hex). */
    public Map<String, String> digestsOf(DistributionFile f) {
        Map<String, String> computed = digests.get(f.url());
        if (computed == null) {
            return f.hashes();
        }
        Map<String, String> all = new java.util.HashMap<>(f.hashes());
        all.putAll(computed);
        return all;
    }

    // How a file compares with its package's hashes from what is known now; with hashLocal, a local file (find-links)
    // the index gives no digest for is hashed at once (only for versions the resolver may choose: a directory of large
    // wheels is not read in full for versions the declarations rule out anyway).
    private HashPolicy.Verdict verdict(String name, DistributionFile f, boolean hashLocal) throws IOException {
        HashPolicy.Verdict v = hashes.check(name, digestsOf(f));
        if (v == HashPolicy.Verdict.UNKNOWN && hashLocal && "file".equals(f.url().getScheme())) {
            hashFile(name, f, java.nio.file.Path.of(f.url()));
            v = hashes.check(name, digestsOf(f));
        }
        return v;
    }

    private void hashFile(String name, DistributionFile f, java.nio.file.Path local) throws IOException {
        java.util.Set<String> algorithms = new java.util.TreeSet<>(hashes.algorithms(name));
        algorithms.add("sha256");
        digests.put(f.url(), HashPolicy.digests(local, algorithms));
    }

    /**
     * In hash-checking mode, why a candidate's file may not be used (it does not match the hashes declared for its
     * package), or null when it may. A file the index gives no comparable digest for is downloaded and hashed.
     */
    public String hashProblem(Candidate c) throws IOException {
        if (c.file() == null || !hashes.covers(c.name())) {
            return null;
        }
        DistributionFile f = c.file();
        HashPolicy.Verdict v = verdict(c.name(), f, true);
        if (v == HashPolicy.Verdict.UNKNOWN) {
            hashFile(c.name(), f, repository.downloader().fetch(new Downloader.Request(f, null)));
            v = hashes.check(c.name(), digestsOf(f));
        }
        if (v == HashPolicy.Verdict.MATCH) {
            return null;
        }
        String file = hashes.describeFile(c.name(), f.filename(), digestsOf(f));
        java.util.Set<Version> admitted = hashAdmitted.get(c.name());
        if (admitted != null && admitted.remove(c.version())) {
            hashMismatches.computeIfAbsent(c.name(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(file);
            if (admitted.isEmpty()) {
                throw hashMismatch(c.name()); // no other version can satisfy the declarations with the hashes
            }
        }
        return hashes.mismatch(c.name(), List.of(file));
    }

    // Whether a dependency applies on the target without extras: only those pages are fetched ahead (an extra's
    // dependencies are fetched when the resolver gets to the extra, if it is requested at all).
    private boolean appliesSomehow(Requirement r) {
        try {
            return !r.marker().mentionsExtra() && r.appliesTo(target.markers(), null);
        } catch (PyBundleException e) {
            return false; // the resolver reports it when it gets there
        }
    }

    private boolean admitsTarget(String requiresPython) {
        if (requiresPython == null) {
            return true;
        }
        try {
            return SpecifierSet.parse(requiresPython).contains(target.pythonVersion(), true);
        } catch (PyBundleException e) {
            return true; // as pip: an unparsable requires-python on the index is ignored
        }
    }

    private static WheelFilename wheelOf(String filename, String name) {
        try {
            WheelFilename w = WheelFilename.parse(filename);
            return w.name().equals(name) ? w : null;
        } catch (PyBundleException e) {
            return null; // not a wheel of this project
        }
    }

    private static Version versionOf(String filename, String name) {
        try {
            if (filename.endsWith(".whl")) {
                WheelFilename w = WheelFilename.parse(filename);
                return w.name().equals(name) ? w.version() : null;
            }
            SdistFilename s = SdistFilename.parse(filename);
            return s.name().equals(name) ? s.version() : null;
        } catch (PyBundleException e) {
            return null; // not a distribution of this project
        }
    }

    @Override
    public void pinned(Candidate c) {
        if (c.file() != null && c.file().isWheel()) {
            lookahead.taking(c); // its download may start now, while the resolution goes on
        }
    }

    @Override
    public Dependencies dependencies(Candidate c) throws IOException {
        considering = c.name() + " " + c.version();
        considered.incrementAndGet();
        String hashProblem = hashProblem(c);
        if (hashProblem != null) {
            return new Dependencies(List.of(), hashProblem);
        }
        CoreMetadataFile md;
        if (!c.file().isWheel()) { // an sdist, allowed by <allowSourceBuilds>: its metadata is the built wheel's
            java.nio.file.Path sdist = repository.downloader().fetch(new Downloader
                    .Request(c.file(), null));
            java.nio.file.Path wheel;
            try {
                wheel = builder.build(sdist, c.file().filename());
            } catch (SourceBuilder.NotPureException e) {
                return new Dependencies(List.of(), e.getMessage()); // an older version may be pure
            }
            // Any other failure (no interpreter, a failing build) is the build's, not the version's: reported once,
            // with its output, instead of being tried again with every older version.
            md = CoreMetadataFile.parse(WheelSource.readMetadata(wheel),
                    wheel.getFileName() + "!METADATA");
        } else {
            md = repository.listener().timing("resolver waiting for metadata", () -> {
                CoreMetadataFile ahead = readAheadFor(c.file());
                return ahead != null ? ahead : repository.metadata().metadata(c.file());
            });
        }
        if (!ProjectName.normalize(md.name()).equals(c.name())
                || !md.version().equals(c.version())) {
            return new Dependencies(List.of(), "its metadata says " + md.name() + " " + md.version());
        }
        if (md.requiresPython() != null && !md.requiresPython().contains(target.pythonVersion(), true)) {
            return new Dependencies(List.of(), "requires Python " + md.requiresPython());
        }
        for (Requirement r : md.requiresDist()) {
            if (r.url() == null && (r.marker() == null || appliesSomehow(r))) {
                page(r.name()); // in the background; versions() waits for it if it is not there yet
            }
        }
        return new Dependencies(md.requiresDist(), null);
    }
}

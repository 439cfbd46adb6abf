package io.github.pybundle.core.resolve;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.index.DistributionFile;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.ProjectPage;
import io.github.pybundle.core.metadata.CoreMetadataFile;
import io.github.pybundle.core.pep440.SpecifierSet;
import io.github.pybundle.core.pep440.Version;
import io.github.pybundle.core.wheel.SdistFilename;
import io.github.pybundle.core.wheel.WheelFilename;
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
public final class IndexProvider implements ResolutionProvider {
    private final IndexConfiguration.Repository repository;
    private final Target target;
    private final SourceBuilder builder; // null: sdists are not built
    // Project pages asked for ahead of the resolver: when a candidate's dependencies are read, their pages are
    // fetched in the background, so that the resolver rarely waits for one round trip after another.
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.Future<ProjectPage>> pages =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ThreadPoolExecutor prefetch = prefetchPool();

    public IndexProvider(IndexConfiguration.Repository repository, Target target) {
        this(repository, target, null);
    }

    public IndexProvider(IndexConfiguration.Repository repository, Target target, SourceBuilder builder) {
        this.repository = repository;
        this.target = target;
        this.builder = builder;
    }

    private static java.util.concurrent.ThreadPoolExecutor prefetchPool() {
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(4, 4, 2,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "pybundle-prefetch");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true); // idle threads end: nothing outlives the resolution for long
        return pool;
    }

    private java.util.concurrent.Future<ProjectPage> page(String name) {
        return pages.computeIfAbsent(io.github.pybundle.core.name.ProjectName.normalize(name),
                n -> prefetch.submit(() -> repository.finder().find(n)));
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
        ProjectPage page = await(page(name));
        if (page == null) {
            return new Versions(List.of(), List.of());
        }
        Map<Version, List<DistributionFile>> byVersion = new TreeMap<>(Comparator.reverseOrder());
        for (DistributionFile f : page.files()) {
            Version v = versionOf(f.filename(), name);
            if (v != null) {
                byVersion.computeIfAbsent(v, k -> new ArrayList<>()).add(f);
            }
        }
        List<Candidate> usable = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        for (Map.Entry<Version, List<DistributionFile>> e : byVersion.entrySet()) {
            DistributionFile best = null;
            int bestRank = Integer.MAX_VALUE;
            boolean anyWheel = false;
            String pythonMismatch = null;
            for (DistributionFile f : e.getValue()) {
                if (!f.isWheel()) {
                    continue;
                }
                anyWheel = true;
                Optional<Integer> rank = target.tags().bestRank(WheelFilename.parse(f.filename()).tags());
                if (rank.isEmpty()) {
                    continue;
                }
                if (!admitsTarget(f.requiresPython())) {
                    pythonMismatch = f.requiresPython();
                    continue;
                }
                if (rank.get() < bestRank) {
                    best = f;
                    bestRank = rank.get();
                }
            }
            if (best != null) {
                usable.add(new Candidate(name, e.getKey(), best, best.isYanked(), false));
            } else if (pythonMismatch != null) {
                rejected.add(new Rejected(e.getKey(), "requires Python " + pythonMismatch));
            } else if (anyWheel) {
                rejected.add(new Rejected(e.getKey(), "no wheel for " + target.describe() + " (has "
                        + e.getValue().stream().filter(DistributionFile::isWheel).limit(3)
                        .map(f -> f.filename().replaceFirst("^[^-]+-[^-]+-", "").replaceFirst("\\.whl$", ""))
                        .toList() + ")"));
            } else if (builder != null && e.getValue().stream().anyMatch(f -> f.filename().endsWith(".tar.gz")
                    || f.filename().endsWith(".zip"))) {
                DistributionFile sdist = e.getValue().stream().filter(f -> !f.isWheel()).findFirst().orElseThrow();
                if (admitsTarget(sdist.requiresPython())) {
                    usable.add(new Candidate(name, e.getKey(), sdist, sdist.isYanked(), false));
                } else {
                    rejected.add(new Rejected(e.getKey(), "requires Python " + sdist.requiresPython()));
                }
            } else {
                rejected.add(new Rejected(e.getKey(), "only a source distribution ("
                        + e.getValue().get(0).filename() + "): pybundle does not build sdists; build a wheel into a"
                        + " <findLinks> directory or ask the maintainers for one"));
            }
        }
        return new Versions(usable, rejected);
    }

    // Whether a dependency applies on the target without extras: only those pages are fetched ahead (an extra's
    // dependencies are fetched when the resolver gets to the extra, if it is requested at all).
    private boolean appliesSomehow(io.github.pybundle.core.pep508.Requirement r) {
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
    public Dependencies dependencies(Candidate c) throws IOException {
        CoreMetadataFile md;
        if (!c.file().isWheel()) { // an sdist, allowed by <allowSourceBuilds>: its metadata is the built wheel's
            java.nio.file.Path sdist = repository.downloader().fetch(new io.github.pybundle.core.index.Downloader
                    .Request(c.file(), null));
            java.nio.file.Path wheel;
            try {
                wheel = builder.build(sdist, c.file().filename());
            } catch (PyBundleException e) {
                return new Dependencies(List.of(), e.getMessage());
            }
            md = CoreMetadataFile.parse(io.github.pybundle.core.index.MetadataFetcher.readWheelMetadata(wheel),
                    wheel.getFileName() + "!METADATA");
        } else {
            md = repository.metadata().metadata(c.file());
        }
        if (!io.github.pybundle.core.name.ProjectName.normalize(md.name()).equals(c.name())
                || !md.version().equals(c.version())) {
            return new Dependencies(List.of(), "its metadata says " + md.name() + " " + md.version());
        }
        if (md.requiresPython() != null && !md.requiresPython().contains(target.pythonVersion(), true)) {
            return new Dependencies(List.of(), "requires Python " + md.requiresPython());
        }
        for (io.github.pybundle.core.pep508.Requirement r : md.requiresDist()) {
            if (r.url() == null && (r.marker() == null || appliesSomehow(r))) {
                page(r.name()); // in the background; versions() waits for it if it is not there yet
            }
        }
        return new Dependencies(md.requiresDist(), null);
    }
}

package io.github.pybundle.core.bundle;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.archive.ArchiveContent;
import io.github.pybundle.core.archive.ArchivePlan;
import io.github.pybundle.core.archive.ReproducibleZipWriter;
import io.github.pybundle.core.source.PythonSourceTree;
import io.github.pybundle.core.wheel.PyFilesZipSource;
import io.github.pybundle.core.wheel.UnsafeWheelException;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.core.wheel.WheelDestination;
import io.github.pybundle.core.wheel.WheelEntries;
import io.github.pybundle.core.wheel.WheelInstaller;
import io.github.pybundle.core.wheel.WheelSource;
import io.github.pybundle.core.wheel.WheelVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Builds the zip that {@code spark-submit --py-files} puts on every Python worker's {@code sys.path}: the project's
 * packages and modules, and the pure-Python wheels it depends on, at the zip root.
 *
 * <p>Wheel entries are copied as they are (their compressed bytes; nothing is deflated again, and the content is
 * checked against RECORD first, by {@link WheelVerifier}) with their
 * {@code .dist-info} kept, so {@code importlib.metadata} works. {@code .data/purelib} and {@code .data/platlib}
 * contents go to the root; other {@code .data} directories (scripts, headers, data) have no place in a zip and are
 * left out. Compiled extension modules cannot be imported from a zip, so a wheel with any is refused, named.
 * Directory entries are written as well as files: zipimport recognises a namespace package only when the zip has an
 * entry for its directory.
 *
 * <p>Other py-files zips the project depends on ({@link ZipDependency}, such as another module's) are merged in the
 * same way: their entries copied as they are stored, after the same checks of their structure as a wheel's
 * ({@link PyFilesZipSource}) and of every entry's deflate stream and CRC-32. A top-level module or regular package
 * that such a zip holds must come from nowhere else (the project, a wheel, another zip): Python would import one of
 * the two and silently ignore the other, so that is an error naming both.
 */
public final class PyFilesZipBuilder {
    /**
     * What to build.
     *
     * @param sources the project's code
     * @param wheels the pure wheels to add, in order (the first of two wheels shipping one path names the other)
     * @param target the zip's path
     * @param timestamp the time of every entry
     * @param checks how the wheels are checked
     */
    public record Request(PythonSourceTree sources, List<Path> wheels, Path target, Instant timestamp,
                          WheelChecks checks, List<ZipDependency> zips) {
        public Request {
            wheels = List.copyOf(wheels);
            zips = zips == null ? List.of() : List.copyOf(zips);
        }

        /** A zip of the project's code and wheels only. */
        public Request(PythonSourceTree sources, List<Path> wheels, Path target, Instant timestamp,
                       WheelChecks checks) {
            this(sources, wheels, target, timestamp, checks, List.of());
        }
    }

    /**
     * Another py-files zip whose entries this one takes in (a dependency of the project on another module's zip).
     *
     * @param file the zip
     * @param artifact what it is, for messages (the build tool's coordinates)
     */
    public record ZipDependency(Path file, String artifact) {
        /** How messages name it: the artifact, and its file name. */
        public String describe() {
            return artifact + " (" + file.getFileName() + ")";
        }
    }

    private PyFilesZipBuilder() {
    }

    /** The zip's file name for a Maven final name: {@code {finalName}-pyfiles.zip}. */
    public static String fileName(String finalName) {
        return finalName + "-pyfiles.zip";
    }

    /** Writes the project's code and the wheels, entries sorted by name, and returns the zip's path. */
    public static Path build(Request request) throws IOException {
        WheelChecks checks = request.checks();
        ArchivePlan plan = new ArchivePlan(PathConflicts.warning(checks.listener()));
        TopLevelOwners owners = new TopLevelOwners();
        for (PythonSourceTree.SourceFile f : request.sources().files()) {
            plan.add(f.archivePath(), ArchiveContent.file(f.file()), ReproducibleZipWriter.FILE_MODE,
                    PathConflicts.PROJECT);
            owners.claim(WheelEntries.ownedTopLevel(f.archivePath()), PathConflicts.PROJECT, false);
        }
        SitePackages destination = new SitePackages(plan, owners);
        List<WheelSource> open = new ArrayList<>();
        List<PyFilesZipSource> zips = new ArrayList<>();
        try {
            List<String> native_ = new ArrayList<>();
            long inflated = 0;
            for (Path w : request.wheels()) {
                WheelSource wheel = checks.open(w);
                open.add(wheel);
                inflated += wheel.inflatedSize();
                checks.checkTotal(inflated, "the py-files zip");
                if (!wheel.isPure()) {
                    native_.add(wheel.filename() + " (" + wheel.nativeFile() + ")");
                    continue;
                }
                WheelInstaller.install(wheel, destination);
            }
            for (ZipDependency z : request.zips()) {
                PyFilesZipSource zip = PyFilesZipSource.open(z.file(), z.describe(), checks.maxInflatedWheel());
                zips.add(zip);
                inflated += zip.inflatedSize();
                checks.checkTotal(inflated, "the py-files zip");
                zip.topLevelNames().forEach(name -> owners.claim(name, zip.name(), true));
                for (ZipArchiveEntry e : zip.files()) {
                    if (WheelEntries.isExtensionModule(PyFilesZipSource.path(e))) {
                        throw new UnsafeWheelException(zip.name(), "entry '" + PyFilesZipSource.path(e) + "' is"
                                + " compiled code, which Python cannot import from the py-files zip", "rebuild that"
                                + " zip without it: pybundle puts compiled packages in the environment archive");
                    }
                    plan.add(PyFilesZipSource.path(e), zip.content(e), ReproducibleZipWriter.FILE_MODE, zip.name());
                }
            }
            if (!native_.isEmpty()) {
                throw new PyBundleException("these packages contain compiled code, which Python cannot import from the"
                        + " py-files zip: " + String.join("; ", native_), List.of("use {@layout=auto} (the"
                        + " default) or {@layout=environment} to put them in the environment archive, or add"
                        + " them to {@target.provided} if the cluster has them"));
            }
            // The wheels' compressed bytes are copied as they are, while their checks (started as they arrived) run;
            // the zip is committed only once all have passed.
            try (WheelVerifier.Pending pending = WheelVerifier.start(request.wheels(), checks);
                 ReproducibleZipWriter zip = new ReproducibleZipWriter(request.target(), request.timestamp())) {
                plan.write(zip);
                pending.await();
                for (PyFilesZipSource z : zips) {
                    z.verify();
                }
                zip.commit();
            }
            return request.target();
        } finally {
            for (WheelSource w : open) {
                w.close();
            }
            for (PyFilesZipSource z : zips) {
                z.close();
            }
        }
    }

    /**
     * Which source holds each top-level module or regular package. Wheels may share a name among themselves and with
     * the project (their files are compared one by one, so identical namespace files pass); a zip dependency may not
     * share one with anything: its files were never checked against the others' by a resolver.
     */
    private static final class TopLevelOwners {
        private record Owner(String origin, boolean zip) {
        }

        private final java.util.Map<String, Owner> owners = new java.util.HashMap<>();

        void claim(String name, String origin, boolean zip) {
            if (name == null) {
                return;
            }
            Owner earlier = owners.putIfAbsent(name, new Owner(origin, zip));
            if (earlier != null && !earlier.origin().equals(origin) && (zip || earlier.zip())) {
                throw new PyBundleException(earlier.origin() + " and " + origin + " both provide the top-level"
                        + " module or package '" + name + "'; Python would import one of them and ignore the other",
                        List.of("take it from one source only: leave it out of the project or of the other"
                                + " module, or leave a locked package out with {@excludes}", "or depend on the other"
                                + " module's wheel instead of its py-files zip, so that the lock resolves its"
                                + " dependencies together with the project's"));
            }
        }
    }

    /** The zip root as site-packages, a destination for {@link WheelInstaller} that takes modules only. */
    private static final class SitePackages implements WheelDestination {
        private final ArchivePlan plan;
        private final TopLevelOwners owners;

        SitePackages(ArchivePlan plan, TopLevelOwners owners) {
            this.plan = plan;
            this.owners = owners;
        }

        @Override
        public Set<Scheme> schemes() {
            return EnumSet.of(Scheme.PURELIB, Scheme.PLATLIB);
        }

        @Override
        public String writeFile(WheelSource source, Scheme scheme, String path, ArchiveContent content,
                                boolean executable) {
            // Nothing in the zip is run as a program: every file has the same mode.
            plan.add(path, content, ReproducibleZipWriter.FILE_MODE, source.filename());
            owners.claim(WheelEntries.ownedTopLevel(path), source.filename(), false);
            return path;
        }
    }
}

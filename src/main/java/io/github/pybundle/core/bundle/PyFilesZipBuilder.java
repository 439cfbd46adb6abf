package io.github.pybundle.core.bundle;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.archive.ArchiveContent;
import io.github.pybundle.core.archive.ArchivePlan;
import io.github.pybundle.core.archive.ReproducibleZipWriter;
import io.github.pybundle.core.source.PythonSourceTree;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.core.wheel.WheelDestination;
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
                          WheelChecks checks) {
        public Request {
            wheels = List.copyOf(wheels);
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
        for (PythonSourceTree.SourceFile f : request.sources().files()) {
            plan.add(f.archivePath(), ArchiveContent.file(f.file()), ReproducibleZipWriter.FILE_MODE,
                    PathConflicts.PROJECT);
        }
        SitePackages destination = new SitePackages(plan);
        List<WheelSource> open = new ArrayList<>();
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
            if (native_.isEmpty()) {
                WheelVerifier.verifyAll(request.wheels(), checks);
            } else {
                throw new PyBundleException("these packages contain compiled code, which Python cannot import from the"
                        + " py-files zip: " + String.join("; ", native_), List.of("use {@layout=auto} (the"
                        + " default) or {@layout=environment} to put them in the environment archive, or add"
                        + " them to {@target.provided} if the cluster has them"));
            }
            try (ReproducibleZipWriter zip = new ReproducibleZipWriter(request.target(), request.timestamp())) {
                plan.write(zip); // the wheels' compressed bytes are copied as they are, checked above
                zip.commit();
            }
            return request.target();
        } finally {
            for (WheelSource w : open) {
                w.close();
            }
        }
    }

    /** The zip root as site-packages, a destination for {@link WheelInstaller} that takes modules only. */
    private static final class SitePackages implements WheelDestination {
        private final ArchivePlan plan;

        SitePackages(ArchivePlan plan) {
            this.plan = plan;
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
            return path;
        }
    }
}

package io.github.pybundle.core.bundle;

import io.github.pybundle.core.wheel.WheelSource;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.core.wheel.WheelEntries;
import io.github.pybundle.core.wheel.WheelVerifier;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.archive.ArchiveContent;
import io.github.pybundle.core.archive.ArchivePlan;
import io.github.pybundle.core.archive.ReproducibleZipWriter;
import io.github.pybundle.core.source.PythonSourceTree;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 */
public final class PyFilesZipBuilder {
    private PyFilesZipBuilder() {
    }

    /** The zip's file name for a Maven final name: {@code {finalName}-pyfiles.zip}. */
    public static String fileName(String finalName) {
        return finalName + "-pyfiles.zip";
    }

    /** Writes the project's code only. */
    public static Path build(PythonSourceTree sources, Path target, Instant timestamp) throws IOException {
        return build(sources, List.of(), target, timestamp);
    }

    /** Writes the project's code and the given pure wheels, entries sorted by name. */
    public static Path build(PythonSourceTree sources, List<Path> wheels, Path target, Instant timestamp)
            throws IOException {
        return build(sources, wheels, target, timestamp, WheelVerifier.Memo.none());
    }

    /** Writes the project's code and the given pure wheels; wheels {@code memo} remembers are not checked again. */
    public static Path build(PythonSourceTree sources, List<Path> wheels, Path target, Instant timestamp,
                             WheelVerifier.Memo memo) throws IOException {
        return build(sources, wheels, target, timestamp, WheelChecks.defaults().withMemo(memo));
    }

    /** Writes the project's code and the given pure wheels, checked as {@code checks} says. */
    public static Path build(PythonSourceTree sources, List<Path> wheels, Path target, Instant timestamp,
                             WheelChecks checks) throws IOException {
        ArchivePlan plan = new ArchivePlan(PathConflicts.warning(checks.listener()));
        for (PythonSourceTree.SourceFile f : sources.files()) {
            plan.add(f.archivePath(), ArchiveContent.file(f.file()), ReproducibleZipWriter.FILE_MODE,
                    PathConflicts.PROJECT);
        }
        List<WheelSource> open = new ArrayList<>();
        try {
            List<String> native_ = new ArrayList<>();
            long inflated = 0;
            for (Path w : wheels) {
                WheelSource wheel = checks.open(w);
                open.add(wheel);
                inflated += wheel.inflatedSize();
                checks.checkTotal(inflated, "the py-files zip");
                if (!wheel.isPure()) {
                    native_.add(wheel.filename() + " (" + wheel.nativeFile() + ")");
                    continue;
                }
                for (ZipArchiveEntry e : wheel.files()) {
                    String dest = WheelEntries.siteDestination(WheelSource.rawName(e));
                    if (dest != null) {
                        plan.add(dest, wheel.content(e), ReproducibleZipWriter.FILE_MODE, wheel.filename());
                    }
                }
            }
            if (native_.isEmpty()) {
                WheelVerifier.verifyAll(wheels, checks.memo());
            } else {
                throw new PyBundleException("these packages contain compiled code, which Python cannot import from the"
                        + " py-files zip: " + String.join("; ", native_), List.of("use <layout>auto</layout> (the"
                        + " default) or <layout>environment</layout> to put them in the environment archive, or add"
                        + " them to <target><provided> if the cluster has them"));
            }
            try (ReproducibleZipWriter zip = new ReproducibleZipWriter(target, timestamp)) {
                plan.write(zip); // the wheels' compressed bytes are copied as they are, checked above
                zip.commit();
            }
            return target;
        } finally {
            for (WheelSource w : open) {
                w.close();
            }
        }
    }
}

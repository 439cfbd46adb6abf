package io.github.pybundle.core.bundle;

import io.github.pybundle.core.wheel.UnsafeWheelException;
import io.github.pybundle.core.wheel.WheelSource;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.core.wheel.WheelEntries;
import io.github.pybundle.core.wheel.WheelVerifier;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.archive.ReproducibleZipWriter;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.source.PythonSourceTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    private record Item(Path file, WheelSource wheel, ZipArchiveEntry entry, String origin) {
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
        Map<String, Item> entries = new TreeMap<>(); // a null item marks a directory
        ArchivePaths folded = new ArchivePaths();
        sources.files().forEach(f -> {
            entries.put(f.archivePath(), new Item(f.file(), null, null, "the project"));
            folded.collision(f.archivePath());
        });
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
                    if (dest == null) {
                        continue;
                    }
                    Item previous = entries.get(dest);
                    if (previous != null && previous.wheel() != null && previous.wheel().sameFile(previous.entry(),
                            wheel, e)) {
                        continue; // the same file from two wheels (a shared namespace package's __init__.py)
                    }
                    entries.put(dest, new Item(null, wheel, e, wheel.filename()));
                    if (previous != null) {
                        throw new UnsafeWheelException(wheel.filename(), "'" + dest + "' is also provided by "
                                + previous.origin(), "two packages ship different files at the same path; remove one of them from the"
                                + " requirements");
                    }
                    String other = folded.collision(dest);
                    if (other != null) { // zipimport compares names exactly: a warning, not an error
                        checks.listener().log(BuildListener.Level.WARN, wheel.filename() + ": '" + dest
                                + "' differs from '" + other + "' only in case; both are in the py-files zip, but"
                                + " they would be one file if it were unpacked on a case-insensitive file system");
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
            for (String name : new ArrayList<>(entries.keySet())) {
                for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
                    entries.putIfAbsent(name.substring(0, i + 1), null);
                }
            }
            try (ReproducibleZipWriter zip = new ReproducibleZipWriter(target, timestamp)) {
                for (Map.Entry<String, Item> e : entries.entrySet()) {
                    Item item = e.getValue();
                    if (item == null) {
                        zip.addDirectory(e.getKey());
                    } else if (item.file() != null) {
                        zip.addFile(e.getKey(), item.file(), ReproducibleZipWriter.FILE_MODE);
                    } else {
                        // Checked by WheelVerifier above: the compressed bytes are copied as they are.
                        try (InputStream raw = item.wheel().zip().getRawInputStream(item.entry())) {
                            zip.addRaw(e.getKey(), item.entry(), raw, ReproducibleZipWriter.FILE_MODE);
                        }
                    }
                }
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

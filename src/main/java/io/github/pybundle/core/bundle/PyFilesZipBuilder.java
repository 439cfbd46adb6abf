package io.github.pybundle.core.bundle;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.archive.ReproducibleZipWriter;
import io.github.pybundle.core.source.PythonSourceTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Builds the zip that {@code spark-submit --py-files} puts on every Python worker's {@code sys.path}: the project's
 * packages and modules, and the pure-Python wheels it depends on, at the zip root.
 *
 * <p>Wheel entries are copied as they are (their compressed bytes; nothing is inflated or deflated) with their
 * {@code .dist-info} kept, so {@code importlib.metadata} works. {@code .data/purelib} and {@code .data/platlib}
 * contents go to the root; other {@code .data} directories (scripts, headers, data) have no place in a zip and are
 * left out. Compiled extension modules cannot be imported from a zip, so a wheel with any is refused, named.
 * Directory entries are written as well as files: zipimport recognises a namespace package only when the zip has an
 * entry for its directory.
 */
public final class PyFilesZipBuilder {
    private static final int SYMLINK = 0120000;

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

    private record Item(Path file, ZipFile wheel, ZipArchiveEntry entry, String origin) {
    }

    /** Writes the project's code and the given pure wheels, entries sorted by name. */
    public static Path build(PythonSourceTree sources, List<Path> wheels, Path target, Instant timestamp)
            throws IOException {
        Map<String, Item> entries = new TreeMap<>(); // a null item marks a directory
        sources.files().forEach(f -> entries.put(f.archivePath(), new Item(f.file(), null, null, "the project")));
        List<ZipFile> open = new ArrayList<>();
        try {
            List<String> native_ = new ArrayList<>();
            for (Path w : wheels) {
                ZipFile z = ZipFile.builder().setPath(w).get();
                open.add(z);
                addWheel(w.getFileName().toString(), z, entries, native_);
            }
            if (!native_.isEmpty()) {
                throw new PyBundleException("these packages contain compiled code, which Python cannot import from the"
                        + " py-files zip: " + String.join("; ", native_), List.of("add them to <target><provided> if"
                        + " the cluster has them installed; bundling them in an environment archive comes in a later"
                        + " pybundle release"));
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
                        try (InputStream raw = item.wheel().getRawInputStream(item.entry())) {
                            zip.addRaw(e.getKey(), item.entry(), raw, ReproducibleZipWriter.FILE_MODE);
                        }
                    }
                }
                zip.commit();
            }
            return target;
        } finally {
            for (ZipFile z : open) {
                z.close();
            }
        }
    }

    private static void addWheel(String wheel, ZipFile z, Map<String, Item> entries, List<String> native_)
            throws IOException {
        boolean purelib = rootIsPurelib(wheel, z);
        String firstNative = null;
        for (ZipArchiveEntry e : java.util.Collections.list(z.getEntriesInPhysicalOrder())) {
            // The raw name: commons-compress turns '\' into '/' for some entries, which would hide a backslash path.
            String name = e.getRawName() == null ? e.getName() : new String(e.getRawName(), StandardCharsets.UTF_8);
            String unsafe = WheelEntries.unsafeReason(name);
            if (unsafe != null) {
                throw new UnsafeWheelException(wheel, "entry '" + name + "' is " + unsafe
                        + " and would escape the destination", "the wheel is malformed or malicious; do not use it");
            }
            if (e.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX && (e.getUnixMode() & 0170000) == SYMLINK) {
                throw new UnsafeWheelException(wheel, "entry '" + name + "' is a symbolic link, which pybundle never"
                        + " writes", "the wheel is malformed; do not use it");
            }
            if (e.isDirectory()) {
                continue;
            }
            if (WheelEntries.isExtensionModule(name) && firstNative == null) {
                firstNative = name;
            }
            String dest = destination(name);
            if (dest == null) {
                continue;
            }
            Item previous = entries.put(dest, new Item(null, z, e, wheel));
            if (previous != null) {
                throw new UnsafeWheelException(wheel, "'" + dest + "' is also provided by " + previous.origin(),
                        "two packages ship the same file; remove one of them from the requirements");
            }
        }
        if (firstNative != null || !purelib) {
            native_.add(wheel + " (" + (firstNative != null ? firstNative : "Root-Is-Purelib: false") + ")");
        }
    }

    // {name}-{version}.data/purelib/x and .../platlib/x install to the root; the other .data kinds do not fit a zip.
    private static String destination(String name) {
        int slash = name.indexOf('/');
        String top = slash < 0 ? name : name.substring(0, slash);
        if (!top.endsWith(".data")) {
            return name;
        }
        String rest = name.substring(slash + 1);
        if (rest.startsWith("purelib/") || rest.startsWith("platlib/")) {
            return rest.substring(rest.indexOf('/') + 1);
        }
        return null;
    }

    private static boolean rootIsPurelib(String wheel, ZipFile z) throws IOException {
        for (ZipArchiveEntry e : java.util.Collections.list(z.getEntries())) {
            if (e.getName().matches("[^/]+\\.dist-info/WHEEL")) {
                try (InputStream in = z.getInputStream(e)) {
                    String text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                    return text.lines().anyMatch(l -> l.replace(" ", "").equalsIgnoreCase("Root-Is-Purelib:true"));
                }
            }
        }
        throw new UnsafeWheelException(wheel, "it has no .dist-info/WHEEL file", "the wheel is malformed");
    }
}

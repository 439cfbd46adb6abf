package io.github.pybundle.core.bundle;

import io.github.pybundle.core.archive.ReproducibleZipWriter;
import io.github.pybundle.core.source.PythonSourceTree;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the zip that {@code spark-submit --py-files} puts on every Python worker's {@code sys.path}: the project's
 * packages and modules at the zip root.
 *
 * <p>Directory entries are written as well as files: Python's zipimport recognises a namespace package (a directory
 * without {@code __init__.py}) only when the zip has an entry for the directory itself.
 */
public final class PyFilesZipBuilder {
    private PyFilesZipBuilder() {
    }

    /** The zip's file name for a Maven final name: {@code {finalName}-pyfiles.zip}. */
    public static String fileName(String finalName) {
        return finalName + "-pyfiles.zip";
    }

    /** Writes the zip to {@code target}, entries sorted by name. */
    public static Path build(PythonSourceTree sources, Path target, Instant timestamp) throws IOException {
        Map<String, Path> entries = new TreeMap<>(); // a null path marks a directory
        sources.directories().forEach(d -> entries.put(d, null));
        sources.files().forEach(f -> entries.put(f.archivePath(), f.file()));
        try (ReproducibleZipWriter zip = new ReproducibleZipWriter(target, timestamp)) {
            for (Map.Entry<String, Path> e : entries.entrySet()) {
                if (e.getValue() == null) {
                    zip.addDirectory(e.getKey());
                } else {
                    zip.addFile(e.getKey(), e.getValue(), ReproducibleZipWriter.FILE_MODE);
                }
            }
            zip.commit();
        }
        return target;
    }
}

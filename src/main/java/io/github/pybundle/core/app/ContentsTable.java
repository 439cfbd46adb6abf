package io.github.pybundle.core.app;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.event.TextTable;
import io.github.pybundle.core.event.TextTable.Column;
import io.github.pybundle.core.index.Downloader;
import io.github.pybundle.core.spec.dist.WheelFilename;
import io.github.pybundle.core.spec.name.ProjectName;
import java.util.List;

/**
 * What a bundle holds, one row per package (and per JAR, and the shipped interpreter): the table that ends
 * {@code bundle} and that {@code list} prints. To add a column, add a component to {@link Row} and one entry to
 * {@link #COLUMNS}.
 */
final class ContentsTable {
    /** Where a row's content went. */
    static final String PY_FILES_ZIP = "py-files zip";
    static final String ENVIRONMENT_ARCHIVE = "environment archive";
    static final String PROVIDED = "provided by the cluster";
    static final String EXCLUDED = "excluded";
    static final String JARS = "--jars";

    /**
     * One row.
     *
     * @param name the package's normalised name (a JAR's file name)
     * @param version its version, or null when not known
     * @param size its wheel's size in bytes (a JAR's, the interpreter's unpacked), or -1 when not known
     * @param kind pure, native, jar, interpreter, or null
     * @param placedIn where it went ({@link #PY_FILES_ZIP}, {@link #ENVIRONMENT_ARCHIVE}, {@link #PROVIDED}...)
     * @param file the file it came from (the wheel), or null
     * @param needs what its native code needs of the nodes (e.g. {@code glibc 2.17}), or null
     */
    record Row(String name, String version, long size, String kind, String placedIn, String file, String needs) {
        Row(String name, String version, long size, String kind, String placedIn, String file) {
            this(name, version, size, kind, placedIn, file, null);
        }

        /** This row, with what its native code needs. */
        Row needing(String what) {
            return new Row(name, version, size, kind, placedIn, file, what);
        }
    }

    private static final Column<Row> NEEDS = Column.left("Needs", Row::needs); // blank where nothing native was read

    private static final List<Column<Row>> COLUMNS = List.of(
            Column.left("Package", Row::name),
            Column.left("Version", r -> dash(r.version())),
            Column.right("Size", r -> r.size() < 0 ? "-" : Downloader.humanSize(r.size())),
            Column.left("Kind", r -> dash(r.kind())),
            Column.left("Placed in", Row::placedIn),
            NEEDS,
            Column.left("File", Row::file));

    private ContentsTable() {
    }

    /** The header and one line per row, aligned; the Needs column only when a row has native code read. */
    static List<String> lines(List<Row> rows) {
        boolean needs = rows.stream().anyMatch(r -> r.needs() != null);
        return new TextTable<>(needs ? COLUMNS : COLUMNS.stream().filter(c -> c != NEEDS).toList()).lines(rows);
    }

    /** A wheel that went into the bundle, named and versioned by its file name. */
    static Row wheel(String fileName, long size, boolean pure, String placedIn) {
        String name = fileName;
        String version = null;
        try {
            WheelFilename w = WheelFilename.parse(fileName);
            name = ProjectName.normalize(w.name());
            version = w.version().toString();
        } catch (PyBundleException notAWheelName) {
            // shown as it is
        }
        return new Row(name, version, size, pure ? "pure" : "native", placedIn, fileName);
    }

    /** A package the cluster has; {@code version} empty for any version. */
    static Row provided(String name, String version) {
        return new Row(name, version == null || version.isEmpty() ? "any" : version, -1, null, PROVIDED, null);
    }

    /** A package left out with {@code <excludes>}. */
    static Row excluded(String name, String version) {
        return new Row(ProjectName.normalize(name.strip()), version, -1, null, EXCLUDED, null);
    }

    /** A JAR shipped with {@code --jars}. */
    static Row jar(String fileName, long size) {
        return new Row(fileName, null, size, "jar", JARS, null);
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}

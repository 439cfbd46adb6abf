package io.github.pybundle.core.source;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.spec.text.PyText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The project's own Python code: the files under the source directory that belong in a wheel or a py-files zip.
 *
 * <p>Byte-code caches ({@code __pycache__}, {@code *.pyc}, {@code *.pyo}), hidden files and editor backups are left
 * out. The main script is left out too: Spark receives it as its own argument, and shipping it again inside the zip
 * would add a stray top-level module.
 */
public final class PythonSourceTree {
    /** One file of the tree: its path inside an archive (always '/'-separated) and where it is on disk. */
    public record SourceFile(String archivePath, Path file) {
    }

    private final Path root;
    private final List<SourceFile> files;
    private final List<String> directories;

    private PythonSourceTree(Path root, List<SourceFile> files, List<String> directories) {
        this.root = root;
        this.files = List.copyOf(files);
        this.directories = List.copyOf(directories);
    }

    /**
     * Scans {@code root}, leaving out {@code exclude} (the main script; may be null), and checks that every package and
     * module name can be imported.
     *
     * @throws InvalidConfigurationException (setting {@code pythonSourceDirectory}) when the directory is missing or a
     *     package or module name is not a Python identifier
     */
    public static PythonSourceTree scan(Path root, Path exclude) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new InvalidConfigurationException("pythonSourceDirectory", root.toString(),
                    "the Python source directory " + root + " does not exist",
                    "create it and put your packages there, or set {@pythonSourceDirectory} to the directory that"
                            + " holds your Python code");
        }
        Path excluded = exclude == null ? null : exclude.toAbsolutePath().normalize();
        List<SourceFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                Path rel = root.relativize(p);
                if (!Files.isRegularFile(p) || isIgnored(rel) || p.toAbsolutePath().normalize().equals(excluded)) {
                    continue;
                }
                files.add(new SourceFile(toArchivePath(rel), p));
            }
        }
        files.sort((a, b) -> a.archivePath().compareTo(b.archivePath()));
        for (SourceFile f : files) {
            checkImportable(root, f);
        }
        Set<String> dirs = new TreeSet<>();
        for (SourceFile f : files) {
            String path = f.archivePath();
            for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
                dirs.add(path.substring(0, i + 1));
            }
        }
        return new PythonSourceTree(root, files, new ArrayList<>(dirs));
    }

    private static boolean isIgnored(Path rel) {
        for (Path part : rel) {
            String name = part.toString();
            if (name.equals("__pycache__") || name.startsWith(".") || name.endsWith("~")) {
                return true;
            }
        }
        String name = rel.getFileName().toString();
        return name.endsWith(".pyc") || name.endsWith(".pyo");
    }

    private static String toArchivePath(Path rel) {
        List<String> parts = new ArrayList<>();
        for (Path part : rel) {
            parts.add(part.toString());
        }
        return String.join("/", parts);
    }

    // A directory on the way to a .py file is a package (regular or namespace), and a .py file is a module: both must
    // be identifiers or `import` cannot reach them. Directories that hold only data may have any name.
    private static void checkImportable(Path root, SourceFile f) {
        if (!f.archivePath().endsWith(".py")) {
            return;
        }
        String[] parts = f.archivePath().split("/");
        for (int i = 0; i < parts.length; i++) {
            boolean module = i == parts.length - 1;
            String name = module ? parts[i].substring(0, parts[i].length() - 3) : parts[i];
            if (!PyText.isImportableIdentifier(name)) {
                String kind = module ? "module" : "package";
                String fix = name.replaceAll("[^A-Za-z0-9_]", "_");
                if (fix.isEmpty() || Character.isDigit(fix.charAt(0))) {
                    fix = "_" + fix;
                }
                throw new InvalidConfigurationException("pythonSourceDirectory", root.resolve(f.archivePath()).toString(),
                        "'" + name + "' (" + root.resolve(f.archivePath()) + ") is not a valid Python " + kind
                                + " name, so Python could not import it",
                        "rename it to a Python identifier such as '" + fix + "' (letters, digits and '_', not"
                                + " starting with a digit, not a keyword)");
            }
        }
    }

    /** The source directory. */
    public Path root() {
        return root;
    }

    /** The files to package, sorted by archive path. */
    public List<SourceFile> files() {
        return files;
    }

    /** Every directory that holds a packaged file, as archive paths ending in '/', sorted. */
    public List<String> directories() {
        return directories;
    }

    /** Whether the tree holds at least one Python module. */
    public boolean hasModules() {
        return files.stream().anyMatch(f -> f.archivePath().endsWith(".py"));
    }

    /** The top-level packages and modules, sorted (for messages and verification). */
    public List<String> topLevelNames() {
        Set<String> names = new TreeSet<>();
        for (SourceFile f : files) {
            String p = f.archivePath();
            int slash = p.indexOf('/');
            if (slash > 0) {
                names.add(p.substring(0, slash));
            } else if (p.endsWith(".py")) {
                names.add(p.substring(0, p.length() - 3));
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(names));
    }
}

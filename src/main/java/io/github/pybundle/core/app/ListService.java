package io.github.pybundle.core.app;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.bundle.BundleContents;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.bundle.PyFilesZipBuilder;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.TextTable;
import io.github.pybundle.core.event.TextTable.Column;
import io.github.pybundle.core.index.Downloader;
import io.github.pybundle.core.lock.InvalidLockException;
import io.github.pybundle.core.lock.LockedPackage;
import io.github.pybundle.core.lock.Pylock;
import io.github.pybundle.core.project.ProjectPackager;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.target.PythonArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code list} goal: what the last bundle holds, by package (version, where it went, size, pure or native), with
 * the packages the cluster provides, those left out, the shipped JARs and interpreter; optionally every file of the
 * py-files zip and the environment archive. It reads the lock and the outputs, and builds nothing.
 */
public final class ListService {
    private final BuildListener listener;

    public ListService(BuildListener listener) {
        this.listener = listener;
    }

    /**
     * What to list.
     *
     * @param outputDirectory the build directory ({@code target/})
     * @param finalName the base name of the outputs
     * @param lockFile the lock, which may be absent (a bundle without dependencies has none)
     * @param target the cluster, for the packages it provides
     * @param excludes packages the bundle leaves out ({@code <excludes>})
     * @param files whether to list every file of the zip and the environment archive too
     */
    public record Request(Path outputDirectory, String finalName, Path lockFile, TargetRequest target,
                          List<String> excludes, boolean files) {
        public Request {
            excludes = excludes == null ? List.of() : List.copyOf(excludes);
        }
    }

    /**
     * What was listed.
     *
     * @param rows the table's rows
     * @param zip the py-files zip's contents
     * @param environment the environment archive's contents, or null when the bundle has none
     */
    public record Listing(List<ContentsTable.Row> rows, BundleContents.Contents zip,
                          BundleContents.Contents environment) {
    }

    /**
     * Lists the bundle.
     *
     * @throws PyBundleException when there is no bundle to list (the build has not run)
     */
    public Listing list(Request r) throws IOException {
        // The application directory is what the launcher runs: the zip and the archive are linked there, and a
        // rebuild removes an archive in the other format, which may linger in the build directory.
        Path app = ProjectPackager.appDirectory(r.outputDirectory());
        Path zip = app.resolve(PyFilesZipBuilder.fileName(r.finalName()));
        if (!Files.isRegularFile(zip)) {
            throw new PyBundleException("there is no bundle to list: " + zip + " is missing", List.of("build it"
                    + " first: {!package}"));
        }
        Path env = Arrays.stream(EnvironmentArchiveBuilder.Format.values())
                .map(f -> app.resolve(EnvironmentArchiveBuilder.fileName(r.finalName(), f)))
                .filter(Files::isRegularFile).findFirst().orElse(null);
        Pylock lock = readLock(r.lockFile());
        BundleContents.Contents inZip = BundleContents.readPyFilesZip(zip);
        BundleContents.Contents inEnv = env == null ? null : BundleContents.readEnvironment(env);

        List<ContentsTable.Row> rows = new ArrayList<>();
        Map<String, LockedPackage> locked = new LinkedHashMap<>();
        if (lock != null) {
            lock.packages().forEach(p -> locked.putIfAbsent(p.name(), p));
        }
        Set<String> excluded = r.excludes().stream().map(e -> ProjectName.normalize(e.strip()))
                .collect(Collectors.toSet());
        Set<String> names = new TreeSet<>(locked.keySet());
        names.addAll(inZip.distributions().keySet());
        if (inEnv != null) {
            names.addAll(inEnv.distributions().keySet());
        }
        List<String> missing = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        for (String name : names) {
            LockedPackage p = locked.get(name);
            BundleContents.Distribution d = inZip.distributions().get(name);
            String placedIn = ContentsTable.PY_FILES_ZIP;
            if (d == null && inEnv != null) {
                d = inEnv.distributions().get(name);
                placedIn = ContentsTable.ENVIRONMENT_ARCHIVE;
            }
            if (d == null) { // locked, not bundled
                if (excluded.contains(name)) {
                    rows.add(ContentsTable.excluded(name, p.version()));
                } else {
                    rows.add(new ContentsTable.Row(name, p.version(), p.size(), null, "not in the bundle",
                            p.wheelName()));
                    missing.add(name + " " + p.version());
                }
                continue;
            }
            if (p != null && !sameVersion(p.version(), d.version())) {
                stale.add(name + " " + d.version() + " (the lock has " + p.version() + ")");
            }
            rows.add(new ContentsTable.Row(name, d.version(), p == null ? -1 : p.size(), d.pure() ? "pure"
                    : "native", placedIn, p == null ? null : p.wheelName()));
        }
        if (inEnv != null && inEnv.interpreter() != null) {
            BundleContents.Interpreter python = inEnv.interpreter();
            rows.add(new ContentsTable.Row(BundleContents.INTERPRETER, python.version(), python.size(), "interpreter",
                    ContentsTable.ENVIRONMENT_ARCHIVE, PythonArchive.ROOT));
        }
        r.target().providedPackages().forEach((name, version) -> rows.add(ContentsTable.provided(name,
                version)));
        Path jars = app.resolve("jars");
        if (Files.isDirectory(jars)) {
            try (Stream<Path> s = Files.list(jars)) {
                for (Path jar : s.filter(Files::isRegularFile).sorted().toList()) {
                    rows.add(ContentsTable.jar(jar.getFileName().toString(), Files.size(jar)));
                }
            }
        }

        listener.log(Level.INFO, "Bundle " + app + ":");
        ContentsTable.lines(rows).forEach(line -> listener.log(Level.INFO, line));
        listener.log(Level.INFO, "Outputs: " + zip.getFileName() + " (" + Downloader.humanSize(Files.size(zip))
                + (env == null ? ")" : "), " + env.getFileName() + " (" + Downloader.humanSize(Files.size(env))
                + ")"));
        if (!missing.isEmpty()) {
            listener.log(Level.WARN, "The lock has " + String.join(", ", missing) + ", which the bundle does not"
                    + " hold: left out with {@excludes}, or the bundle is older than the lock (rebuild it: "
                    + "{!package})");
        }
        if (!stale.isEmpty()) {
            listener.log(Level.WARN, "The bundle holds " + String.join(", ", stale) + ": it is older than the lock"
                    + " (rebuild it: {!package})");
        }
        if (r.files()) {
            files(zip, inZip);
            if (env != null) {
                files(env, inEnv);
            }
        }
        return new Listing(rows, inZip, inEnv);
    }

    private static final List<Column<BundleContents.Entry>> FILE_COLUMNS = List.of(
            Column.right("Size", e -> Downloader.humanSize(e.size())),
            Column.left("Package", e -> e.owner() == null ? "-" : e.owner()),
            Column.left("File", BundleContents.Entry::path));

    // Every file of one archive: its size, the package whose RECORD names it, its path.
    private void files(Path archive, BundleContents.Contents contents) {
        long total = contents.entries().stream().mapToLong(BundleContents.Entry::size).sum();
        listener.log(Level.INFO, "Files of " + archive.getFileName() + " (" + BuildListener.count(contents
                .entries().size(), "file") + ", " + Downloader.humanSize(total) + " unpacked):");
        new TextTable<>(FILE_COLUMNS).lines(contents.entries()).forEach(line -> listener.log(Level.INFO, "  "
                + line));
    }

    // Versions as the lock and a .dist-info directory spell them: the latter may be normalised differently.
    private static boolean sameVersion(String a, String b) {
        try {
            return Version.parse(a).equals(Version.parse(b));
        } catch (PyBundleException notPep440) {
            return a.equals(b);
        }
    }

    private Pylock readLock(Path lockFile) throws IOException {
        if (lockFile == null || !Files.isRegularFile(lockFile)) {
            return null;
        }
        try {
            return Pylock.read(lockFile);
        } catch (InvalidLockException e) {
            listener.log(Level.WARN, "Listing without the lock, which cannot be read: " + e.getMessage());
            return null;
        }
    }
}

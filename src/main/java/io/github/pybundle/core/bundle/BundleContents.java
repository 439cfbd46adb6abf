package io.github.pybundle.core.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.spec.metadata.RecordFile;
import io.github.pybundle.core.spec.metadata.WheelFile;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.target.PythonArchive;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A built py-files zip or environment archive read back: every file with its size, the distributions installed in it
 * (from their {@code .dist-info}: name, version, pure or not, and which files each RECORD names), and the shipped
 * interpreter. What {@code list} shows; the archives are pybundle's own outputs, read as data, never unpacked.
 */
public final class BundleContents {
    // A dist-info directory: name and version as the binary distribution format escapes them (no '-' inside either).
    private static final Pattern DIST_INFO = Pattern.compile("([^/-]+)-([^/-]+)\\.dist-info/");
    private static final Pattern SITE_PACKAGES = Pattern.compile("lib/python\\d+\\.\\d+/site-packages/");
    private static final Pattern INTERPRETER_LIB = Pattern.compile("python/lib/python(\\d+\\.\\d+)/");
    private static final Pattern DATA = Pattern.compile("[^/]+\\.data/(scripts|data|purelib|platlib)/");
    // RECORD and WHEEL are small; a larger one is not read (the package is then shown without its files).
    private static final long MAX_METADATA = 16L * 1024 * 1024;

    /**
     * One file of an archive.
     *
     * @param path its path in the archive
     * @param size its size unpacked, in bytes (0 for a symbolic link)
     * @param owner the normalised name of the distribution whose RECORD names it, {@link #INTERPRETER} for a file of
     *     the shipped interpreter, or null
     */
    public record Entry(String path, long size, String owner) {
    }

    /**
     * A distribution installed in an archive.
     *
     * @param name the normalised name
     * @param version the version, as its {@code .dist-info} directory spells it
     * @param pure whether its WHEEL says {@code Root-Is-Purelib: true}
     */
    public record Distribution(String name, String version, boolean pure) {
    }

    /**
     * The interpreter shipped in an environment archive ({@code python/}).
     *
     * @param version its version from {@code python/PYTHON.json}, else its {@code lib/pythonX.Y}, or null
     * @param size the bytes of its files, unpacked
     */
    public record Interpreter(String version, long size) {
    }

    /**
     * What an archive holds.
     *
     * @param entries every file, in the archive's order
     * @param distributions the installed distributions by normalised name
     * @param interpreter the shipped interpreter, or null
     */
    public record Contents(List<Entry> entries, Map<String, Distribution> distributions, Interpreter interpreter) {
    }

    /** The owner of the shipped interpreter's files. */
    public static final String INTERPRETER = "python";

    private BundleContents() {
    }

    /** Reads the py-files zip: distributions at its root. */
    public static Contents readPyFilesZip(Path zip) throws IOException {
        return readZip(zip, "");
    }

    /** Reads an environment archive ({@code .tar.gz}, a series of gzip members, or {@code .zip}). */
    public static Contents readEnvironment(Path archive) throws IOException {
        if (archive.getFileName().toString().endsWith(".zip")) {
            return readZip(archive, null);
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 256 * 1024);
             TarArchiveInputStream in = new TarArchiveInputStream(GzipCompressorInputStream.builder()
                     .setInputStream(raw).setDecompressConcatenated(true).get())) {
            Reader reader = new Reader(null);
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                if (!e.isDirectory()) {
                    boolean link = e.isSymbolicLink() || e.isLink();
                    reader.add(e.getName(), link ? 0 : e.getSize(), link, e.getSize(), in);
                }
            }
            return reader.contents();
        }
    }

    // A zip's sizes come from its central directory.
    private static Contents readZip(Path zip, String root) throws IOException {
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            Reader reader = new Reader(root);
            for (ZipArchiveEntry e : java.util.Collections.list(z.getEntriesInPhysicalOrder())) {
                if (!e.isDirectory()) {
                    try (InputStream in = z.getInputStream(e)) {
                        reader.add(e.getName(), Math.max(0, e.getSize()), false, e.getSize(), in);
                    }
                }
            }
            return reader.contents();
        }
    }

    /** Collects the entries of one archive, in its order, and the metadata of what is installed in it. */
    private static final class Reader {
        private final String root;
        private final List<Entry> entries = new ArrayList<>();
        private final Map<String, String> names = new LinkedHashMap<>(); // dist-info directory → normalised name
        private final Map<String, String> sites = new HashMap<>(); // dist-info directory → its site directory
        private final Map<String, String> versions = new HashMap<>();
        private final Map<String, Boolean> purity = new HashMap<>();
        private final Map<String, String> records = new HashMap<>();
        private String pythonJson;
        private String interpreterLib;
        private long interpreterSize;
        private boolean interpreter;

        /** {@code root}: where distributions are installed ({@code ""}), or null for an environment's site dir. */
        Reader(String root) {
            this.root = root;
        }

        void add(String path, long size, boolean link, long declaredSize, InputStream content) throws IOException {
            entries.add(new Entry(path, Math.max(0, size), null));
            if (path.startsWith(PythonArchive.ROOT)) {
                interpreter = true;
                interpreterSize += Math.max(0, size);
                Matcher lib = INTERPRETER_LIB.matcher(path);
                if (interpreterLib == null && lib.lookingAt()) {
                    interpreterLib = lib.group(1);
                }
                if (path.equals(PythonArchive.ROOT + "PYTHON.json") && !link) {
                    pythonJson = text(content, declaredSize);
                }
                return;
            }
            String site = root != null ? root : siteOf(path);
            if (site == null || link) {
                return;
            }
            Matcher m = DIST_INFO.matcher(path.substring(site.length()));
            if (!m.lookingAt()) {
                return;
            }
            String dir = site + m.group();
            names.putIfAbsent(dir, ProjectName.normalize(m.group(1)));
            sites.putIfAbsent(dir, site);
            versions.putIfAbsent(dir, m.group(2));
            String rest = path.substring(dir.length());
            if (rest.equals("WHEEL")) {
                String wheel = text(content, declaredSize);
                try {
                    purity.put(dir, wheel != null && WheelFile.parse(wheel).rootIsPurelib());
                } catch (PyBundleException unreadable) {
                    purity.put(dir, false);
                }
            } else if (rest.equals("RECORD")) {
                String record = text(content, declaredSize);
                if (record != null) {
                    records.put(dir, record);
                }
            }
        }

        Contents contents() {
            Map<String, Distribution> distributions = new LinkedHashMap<>();
            Map<String, String> owners = new HashMap<>();
            for (Map.Entry<String, String> d : names.entrySet()) {
                String dir = d.getKey();
                String name = d.getValue();
                distributions.putIfAbsent(name, new Distribution(name, versions.get(dir),
                        purity.getOrDefault(dir, false)));
                String record = records.get(dir);
                if (record == null) {
                    continue;
                }
                try {
                    for (String p : RecordFile.read(record).keySet()) {
                        owners.putIfAbsent(installedPath(sites.get(dir), p), name);
                    }
                } catch (PyBundleException unreadable) {
                    // its files stay without an owner
                }
            }
            List<Entry> owned = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                owned.add(new Entry(e.path(), e.size(), e.path().startsWith(PythonArchive.ROOT) ? INTERPRETER
                        : owners.get(e.path())));
            }
            return new Contents(owned, distributions, interpreter ? new Interpreter(version(pythonJson,
                    interpreterLib), interpreterSize) : null);
        }
    }

    // Where an environment installs distributions, from an entry under it.
    private static String siteOf(String path) {
        Matcher s = SITE_PACKAGES.matcher(path);
        return s.lookingAt() ? s.group() : null;
    }

    /**
     * Where a RECORD path was installed: under the site directory, except a {@code .data} file of an environment,
     * which the installer moves (scripts to {@code bin/}, data to the root, purelib and platlib into the site
     * directory; headers are not followed).
     */
    private static String installedPath(String site, String recordPath) {
        Matcher data = DATA.matcher(recordPath);
        if (site.isEmpty() || !data.lookingAt()) {
            return site + recordPath;
        }
        String rest = recordPath.substring(data.end());
        return switch (data.group(1)) {
            case "scripts" -> "bin/" + rest;
            case "data" -> rest;
            default -> site + rest;
        };
    }

    // The text of a small metadata file, or null when it is too large to be one.
    private static String text(InputStream in, long declaredSize) throws IOException {
        if (declaredSize > MAX_METADATA) {
            return null;
        }
        byte[] bytes = in.readNBytes((int) MAX_METADATA + 1);
        return bytes.length > MAX_METADATA ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String version(String pythonJson, String lib) {
        if (pythonJson != null) {
            try {
                JsonNode v = new ObjectMapper().readTree(pythonJson).path("python_version");
                if (v.isTextual()) {
                    return v.asText();
                }
            } catch (IOException notJson) {
                // fall back to the library directory
            }
        }
        return lib;
    }
}

package io.github.pybundle.core.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.archive.ArchiveWriter;
import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.cache.CacheBucket;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.net.HttpFetcher;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.net.Secrets;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.elf.ElfFile;
import io.github.pybundle.core.spec.elf.ElfMachine;
import io.github.pybundle.core.spec.elf.ElfReader;
import io.github.pybundle.core.spec.elf.InvalidElfException;
import io.github.pybundle.core.spec.tags.PlatformTags;
import io.github.pybundle.core.wheel.WheelEntries;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A relocatable CPython shipped inside the environment archive ({@code <target><pythonArchive>}), so that the nodes
 * need no Python at all: an archive in python-build-standalone's {@code install_only} layout
 * ({@code python/bin/python3.X}, {@code python/lib/python3.X/...}), as a {@code .tar.gz}.
 *
 * <p>The archive comes from outside, so it is read like a wheel: every entry name is checked (one root,
 * {@code python/}; no absolute or {@code ..} paths, no control characters, no duplicates), symbolic links must stay
 * inside {@code python/}, only files, directories and symbolic links are accepted, and the inflated size is capped.
 * Its Python version is read from the archive itself (python-build-standalone's {@code python/PYTHON.json}, PEP 739's
 * {@code build-details.json}, else the single {@code lib/pythonX.Y} directory), and its executable's ELF header must
 * match the target's architecture. An archive given by URL must come with its sha256 and is kept in the cache by that
 * digest; a local file is read where it is.
 *
 * <p>The archive is not unpacked on the build machine: {@link #copyTo} streams its entries into the environment
 * archive under {@code python/}, keeping executable bits and symbolic links.
 */
public final class PythonArchive {
    /** The directory the interpreter lives in, inside the archive and inside the environment. */
    public static final String ROOT = "python/";

    private static final Pattern LIB_DIR = Pattern.compile("python/lib/python(\\d+)\\.(\\d+)/.*");
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,199}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}]");
    private static final int MAX_ENTRIES = 200_000;

    /**
     * Where the interpreter comes from, as configured.
     *
     * @param location what the user wrote (a path, an https URL, or Maven coordinates), for messages
     * @param file the local file, or null when {@code url} is to be downloaded
     * @param url the https URL, or null for a local file
     * @param sha256 the expected sha256 (hex), required with a URL, checked when given with a file
     */
    public record Source(String location, Path file, URI url, String sha256) {
        /** A local archive (a path, or a Maven artifact already resolved to one). */
        public static Source file(String location, Path file, String sha256) {
            return new Source(location, file, null, checkedDigest(location, sha256));
        }

        /**
         * An archive to download.
         *
         * @throws InvalidConfigurationException when the URL is not https (plain http only to this machine, for a
         *     mirror on the build machine) or the sha256 is missing or malformed
         */
        public static Source url(String location, String sha256) {
            URI uri;
            try {
                uri = URI.create(location.strip());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException("target", location, "{@target.pythonArchive} '" + location
                        + "' is not a valid URL", "give a file path, an https URL or groupId:artifactId:version");
            }
            boolean loopback = "http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                    && java.util.Set.of("127.0.0.1", "localhost", "[::1]").contains(uri.getHost());
            if (!"https".equalsIgnoreCase(uri.getScheme()) && !loopback || uri.getHost() == null) {
                throw new InvalidConfigurationException("target", Secrets.mask(location), "{@target.pythonArchive} '"
                        + Secrets.mask(location) + "' must be an https URL", "download it over https, or give a file"
                        + " path or Maven coordinates");
            }
            if (sha256 == null || sha256.isBlank()) {
                throw new InvalidConfigurationException("target", Secrets.mask(location), "{@target.pythonArchive} is"
                        + " a URL, so {@target.pythonArchiveSha256} is required: an interpreter from the network is"
                        + " run on every node", "add {@target.pythonArchiveSha256} with the archive's sha256 (the"
                        + " .sha256 file published beside it, or sha256sum of a copy you trust)");
            }
            return new Source(location, null, uri, checkedDigest(location, sha256));
        }

        private static String checkedDigest(String location, String sha256) {
            if (sha256 == null || sha256.isBlank()) {
                return null;
            }
            String hex = sha256.strip().toLowerCase(Locale.ROOT);
            if (!Digests.isSha256(hex)) {
                throw new InvalidConfigurationException("target", sha256, "{@target.pythonArchiveSha256} '" + sha256
                        + "' is not a sha256 (64 hexadecimal digits)", "copy the digest of " + Secrets.mask(location)
                        + " again");
            }
            return hex;
        }
    }

    /**
     * An interpreter archive that passed every check.
     *
     * @param archive the local {@code .tar.gz}
     * @param sha256 its sha256 (hex)
     * @param location what the user wrote, for messages
     * @param major its Python major version
     * @param minor its Python minor version
     * @param version its full version when the archive says it (e.g. 3.8.20), else major.minor
     * @param executable the interpreter's path inside the environment, e.g. {@code python/bin/python3.8}
     * @param inflatedSize the total size of its files
     */
    public record Shipped(Path archive, String sha256, String location, int major, int minor, String version,
                              String executable, long inflatedSize) {
        /** e.g. {@code 3.8}. */
        public String majorMinor() {
            return major + "." + minor;
        }
    }

    private PythonArchive() {
    }

    /**
     * The local archive: the file itself, or the cached download of the URL (fetched when missing), its sha256
     * checked either way.
     *
     * @throws InvalidConfigurationException when the file is missing or its digest is not the configured one
     */
    public static Path obtain(Source source, Path cacheRoot, NetworkSettings network, BuildListener listener)
            throws IOException {
        if (source.file() != null) {
            if (!Files.isRegularFile(source.file())) {
                throw new InvalidConfigurationException("target", source.location(), "{@target.pythonArchive} "
                        + source.file() + " does not exist", "give the path of a python-build-standalone"
                        + " install_only .tar.gz, an https URL, or groupId:artifactId:version of one in a repository");
            }
            if (source.sha256() != null) {
                checkDigest(source, Digests.sha256Hex(source.file()));
            }
            return source.file();
        }
        Path dir = CacheBucket.INTERPRETERS.in(cacheRoot.toAbsolutePath().normalize()).resolve("sha256")
                .resolve(source.sha256());
        Path cached = dir.resolve(fileName(source.url()));
        if (Files.isRegularFile(cached) && Digests.sha256Hex(cached).equals(source.sha256())) {
            return cached;
        }
        if (network.offline()) {
            throw new PyBundleException("{@target.pythonArchive} " + Secrets.mask(source.location()) + " is not in"
                    + " the cache, and the build is offline", java.util.List.of("build once online, or download the"
                    + " archive and give its path"));
        }
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".download", ".part");
        try {
            listener.log(Level.INFO, "Downloading the interpreter " + Secrets.mask(source.location()));
            HttpFetcher.Download d = new HttpFetcher(network, listener).download(source.url(), null, temp);
            checkDigest(source, java.util.HexFormat.of().formatHex(d.sha256()));
            AtomicFile.readableByAll(temp);
            Files.move(temp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return cached;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void checkDigest(Source source, String actual) {
        if (!actual.equals(source.sha256())) {
            throw new InvalidConfigurationException("target", Secrets.mask(source.location()), "the interpreter "
                    + Secrets.mask(source.location()) + " has sha256 " + actual + ", but {@target.pythonArchiveSha256}"
                    + " is " + source.sha256(), "if you trust this archive, put its digest in"
                    + " {@target.pythonArchiveSha256}; otherwise the download was tampered with or the wrong file");
        }
    }

    // The cache entry's name: the URL's last segment when it is a plain file name.
    private static String fileName(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return SAFE_NAME.matcher(last).matches() && !last.contains("..") ? last : "python.tar.gz";
    }

    /**
     * Reads and checks the archive: its entries, its Python version and its executable.
     *
     * @param archive the local archive
     * @param location what the user wrote, for messages
     * @param target the cluster the environment is for: the version and architecture must match
     * @param maxInflated the most its files may add up to, in bytes
     * @throws InvalidConfigurationException when it is not a usable interpreter for {@code target}
     */
    public static Shipped inspect(Path archive, String location, Target target, long maxInflated)
            throws IOException {
        String sha256 = Digests.sha256Hex(archive);
        Set<String> names = new HashSet<>();
        Set<String> libVersions = new TreeSet<>();
        Map<String, String> links = new HashMap<>();
        Map<String, byte[]> binHeaders = new HashMap<>();
        JsonNode pbs = null;
        JsonNode details = null;
        long inflated = 0;
        try (TarArchiveInputStream in = open(archive)) {
            for (TarArchiveEntry e; (e = nextEntry(in, archive, location)) != null; ) {
                String name = checkEntry(e, location);
                if (!names.add(stripSlash(name))) {
                    throw bad(location, "holds '" + name + "' twice");
                }
                if (names.size() > MAX_ENTRIES) {
                    throw bad(location, "has more than " + MAX_ENTRIES + " entries");
                }
                Matcher lib = LIB_DIR.matcher(name);
                if (lib.matches()) {
                    libVersions.add(lib.group(1) + "." + lib.group(2));
                }
                if (e.isSymbolicLink()) {
                    links.put(name, resolveLink(name, e.getLinkName(), location));
                } else if (!e.isDirectory()) {
                    inflated += e.getSize();
                    if (inflated > maxInflated) {
                        throw bad(location, "inflates to more than " + maxInflated + " bytes (the"
                                + " {@maxInflatedBundleSize} limit)");
                    }
                    if (name.equals("python/PYTHON.json")) {
                        pbs = json(in, location, name);
                    } else if (name.equals("python/build-details.json")) {
                        details = json(in, location, name);
                    } else if (name.startsWith("python/bin/python")) {
                        binHeaders.put(name, in.readNBytes(64));
                    }
                }
            }
        }
        if (names.isEmpty()) {
            throw bad(location, "is empty");
        }
        String version = version(pbs, details, libVersions, location);
        Matcher v = VERSION.matcher(version);
        if (!v.matches()) {
            throw bad(location, "says its Python version is '" + version + "'");
        }
        int major = Integer.parseInt(v.group(1));
        int minor = Integer.parseInt(v.group(2));
        if (major != target.major() || minor != target.minor()) {
            throw new InvalidConfigurationException("target", location, "{@target.pythonArchive} " + location
                    + " holds Python " + version + ", but {@target.pythonVersion} is " + target.major() + "."
                    + target.minor(), "use the archive of Python " + target.major() + "." + target.minor()
                    + ", or set {@target.pythonVersion} to " + major + "." + minor + " (the wheels are chosen for it)");
        }
        String executable = "python/bin/python" + major + "." + minor;
        String real = executable;
        for (int hops = 0; links.containsKey(real) && hops < 40; hops++) {
            real = links.get(real);
        }
        byte[] header = binHeaders.get(real);
        if (header == null) {
            throw bad(location, "has no " + executable + " (python-build-standalone's install_only layout is"
                    + " expected: python/bin/python" + major + "." + minor + ", python/lib/...)");
        }
        checkMachine(header, target, location, executable);
        return new Shipped(archive, sha256, location, major, minor, v.group(3) == null ? major + "." + minor
                : version.replaceAll("[^0-9.].*", ""), executable, inflated);
    }

    /**
     * Streams the archive's entries into {@code out}, under the same {@code python/} root, files 0755 when any
     * execute bit is set and 0644 otherwise, symbolic links as links. The archive is read again, so it is checked
     * again: an entry that changed since {@link #inspect} fails the copy.
     */
    public static void copyTo(Shipped interpreter, ArchiveWriter out) throws IOException {
        try (TarArchiveInputStream in = open(interpreter.archive())) {
            for (TarArchiveEntry e; (e = nextEntry(in, interpreter.archive(), interpreter.location())) != null; ) {
                String name = checkEntry(e, interpreter.location());
                if (e.isDirectory()) {
                    out.addDirectory(name.endsWith("/") ? name : name + "/");
                } else if (e.isSymbolicLink()) {
                    resolveLink(name, e.getLinkName(), interpreter.location());
                    out.addSymlink(name, e.getLinkName());
                } else {
                    out.addStream(name, in, e.getSize(), (e.getMode() & 0111) != 0 ? 0100755 : 0100644);
                }
            }
        }
        if (!Digests.sha256Hex(interpreter.archive()).equals(interpreter.sha256())) {
            throw new PyBundleException("the interpreter archive " + interpreter.archive() + " changed while the"
                    + " environment archive was written", java.util.List.of("run the build again"));
        }
    }

    private static TarArchiveInputStream open(Path archive) throws IOException {
        InputStream raw = Files.newInputStream(archive);
        try {
            return new TarArchiveInputStream(GzipCompressorInputStream.builder().setInputStream(
                    new java.io.BufferedInputStream(raw, 256 * 1024)).setDecompressConcatenated(true).get());
        } catch (IOException e) {
            raw.close();
            throw new InvalidConfigurationException("target", archive.toString(), "{@target.pythonArchive} "
                    + archive + " is not a .tar.gz (" + e.getMessage() + ")", "python-build-standalone publishes"
                    + " install_only archives as .tar.gz; the .tar.zst ones are not read");
        }
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream in, Path archive, String location) {
        try {
            return in.getNextEntry();
        } catch (IOException e) {
            throw bad(location, "cannot be read as a .tar.gz: " + e.getMessage() + " (" + archive + ")");
        }
    }

    // The entry's name if it is a safe file, directory or link under python/.
    private static String checkEntry(TarArchiveEntry e, String location) {
        String name = e.getName();
        String plain = stripSlash(name);
        if (CONTROL.matcher(name).find()) {
            throw bad(location, "has an entry whose name holds a control character: '"
                    + CONTROL.matcher(name).replaceAll("?") + "'");
        }
        String unsafe = WheelEntries.unsafeReason(plain);
        if (unsafe != null) {
            throw bad(location, "has an unsafe entry '" + name + "': " + unsafe);
        }
        if (!(plain + "/").startsWith(ROOT)) {
            throw bad(location, "has '" + name + "' outside python/ (python-build-standalone's install_only layout"
                    + " has everything under python/)");
        }
        // By type flag: commons-compress calls any entry whose name lacks a slash a file, devices included.
        byte type = e.getLinkFlag();
        boolean known = type == TarArchiveEntry.LF_NORMAL || type == TarArchiveEntry.LF_OLDNORM
                || type == TarArchiveEntry.LF_CONTIG || type == TarArchiveEntry.LF_DIR
                || type == TarArchiveEntry.LF_SYMLINK;
        if (!known) {
            throw bad(location, "has '" + name + "', which is " + (e.isLink() ? "a hard link" : "a device, FIFO or"
                    + " other special file") + "; only files, directories and symbolic links are shipped");
        }
        return e.isDirectory() ? plain + "/" : plain;
    }

    // A link's target, relative to the link's directory, must stay under python/; returns the path it names.
    private static String resolveLink(String name, String target, String location) {
        if (target == null || target.isEmpty() || target.startsWith("/") || target.contains("\\")
                || CONTROL.matcher(target).find()) {
            throw bad(location, "has a symbolic link '" + name + "' to '" + target + "': only relative links"
                    + " inside python/ are shipped");
        }
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        String[] dir = name.split("/");
        for (int i = 0; i < dir.length - 1; i++) {
            parts.addLast(dir[i]);
        }
        for (String p : target.split("/")) {
            if (p.equals("..")) {
                if (parts.size() <= 1) { // would leave python/
                    throw bad(location, "has a symbolic link '" + name + "' to '" + target + "', which leaves"
                            + " python/");
                }
                parts.removeLast();
            } else if (!p.isEmpty() && !p.equals(".")) {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }

    private static String version(JsonNode pbs, JsonNode details, Set<String> libVersions, String location) {
        if (pbs != null) {
            String v = pbs.path("python_version").asText(pbs.path("python_major_minor_version").asText(""));
            if (!v.isEmpty()) {
                return v;
            }
        }
        if (details != null) {
            String v = details.path("language").path("version").asText("");
            if (!v.isEmpty()) {
                return v;
            }
        }
        if (libVersions.size() == 1) {
            return libVersions.iterator().next();
        }
        throw bad(location, libVersions.isEmpty() ? "does not say its Python version: it has no python/PYTHON.json,"
                + " no python/build-details.json and no python/lib/pythonX.Y directory"
                : "has several python/lib/pythonX.Y directories " + libVersions + " and no PYTHON.json to choose");
    }

    private static JsonNode json(InputStream in, String location, String name) throws IOException {
        byte[] bytes = in.readNBytes(4 * 1024 * 1024);
        try {
            return new ObjectMapper().readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw bad(location, "has an unreadable " + name + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static void checkMachine(byte[] h, Target target, String location, String executable) {
        String arch = PlatformTags.linuxArchitecture(target.platforms().get(0));
        ElfMachine want = ElfMachine.of(arch);
        if (want == null) {
            throw new InvalidConfigurationException("target", target.platforms().get(0), "{@target.pythonArchive}"
                    + " ships a Linux interpreter, but the target's platform is " + target.platforms().get(0),
                    "Spark clusters run Linux: use a manylinux or musllinux platform tag in {@target.platforms}");
        }
        if (!ElfReader.isElf(h, 0, h.length)) {
            throw bad(location, "has " + executable + ", which is not a Linux (ELF) executable: an archive for"
                    + " another operating system?");
        }
        ElfFile elf;
        try {
            elf = ElfReader.identify(h);
        } catch (InvalidElfException e) {
            throw bad(location, "has " + executable + ", an ELF file that " + e.getMessage());
        }
        if (!want.matches(elf.machine(), elf.bits(), elf.littleEndian())) {
            throw new InvalidConfigurationException("target", location, "{@target.pythonArchive} " + location
                    + " is built for " + elf.describe() + ", but the target's platform " + target.platforms().get(0)
                    + " is " + arch, "use the " + arch + " archive of the same Python");
        }
    }

    private static String stripSlash(String name) {
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    private static InvalidConfigurationException bad(String location, String problem) {
        return new InvalidConfigurationException("target", location, "{@target.pythonArchive} " + location + " "
                + problem, "use an install_only archive of python-build-standalone, or one laid out like it");
    }
}

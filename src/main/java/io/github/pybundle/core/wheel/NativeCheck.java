package io.github.pybundle.core.wheel;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.spec.dist.DistributionFilename;
import io.github.pybundle.core.spec.dist.WheelFilename;
import io.github.pybundle.core.spec.elf.ElfFile;
import io.github.pybundle.core.spec.elf.ElfMachine;
import io.github.pybundle.core.spec.elf.LinuxPlatform;
import io.github.pybundle.core.spec.name.ProjectName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the ELF files of the wheels going into one output against the target's Linux platform, as the dynamic
 * loader of a node would find them: each loadable file must be of the platform's machine, class and byte order; each
 * library it needs must be in the output (found through its {@code $ORIGIN}-relative RPATH or RUNPATH, or anywhere in
 * its wheel's {@code *.libs/} directories) or one that every system of the platform provides; each symbol version it
 * needs from such a system library must be one the platform provides. For a musllinux platform, glibc is an error.
 *
 * <p>All problems of all wheels are collected, then reported at once; a wheel whose package is in
 * {@code <target><allowNativeMismatch>} gets a warning instead.
 *
 * @param platform what the nodes provide, or null to check nothing
 * @param pythonMajor the target's Python major version (an extension module may need its {@code libpythonX.Y})
 * @param pythonMinor the target's Python minor version
 * @param allowMismatch normalized names of the packages whose problems are warnings
 * @param skipped why nothing is checked, for a debug note, or null
 */
public record NativeCheck(LinuxPlatform platform, int pythonMajor, int pythonMinor, Set<String> allowMismatch,
                          String skipped) {
    private static final int MAX_FILES_SHOWN = 10;
    /**
     * Libraries of hardware drivers, which wheels leave to the system on purpose (auditwheel's {@code --exclude}: a
     * wheel cannot ship the NVIDIA driver's {@code libcuda}, which must match the kernel module): not in any manylinux
     * policy, yet no error. torch's CUDA wheels need {@code libcuda.so.1}; NVIDIA's cuFile, the RDMA libraries. The
     * build says which packages need them, since only nodes with that hardware and its driver can load that code.
     */
    static final Map<String, String> DRIVER_LIBRARIES = Map.of(
            "libcuda.so.1", "NVIDIA driver",
            "libnvidia-ml.so.1", "NVIDIA driver",
            "libibverbs.so.1", "RDMA, rdma-core",
            "librdmacm.so.1", "RDMA, rdma-core",
            "libmlx5.so.1", "RDMA, rdma-core",
            "libmlx4.so.1", "RDMA, rdma-core",
            "libefa.so.1", "RDMA, rdma-core");
    private static final Pattern DATA = Pattern.compile("[^/]+\\.data/(purelib|platlib|scripts|headers|data)/(.+)");
    private static final Pattern LIBPYTHON = Pattern.compile("libpython(\\d+)\\.(\\d+)[a-z]*\\.so(\\.[0-9.]+)?");

    public NativeCheck {
        allowMismatch = Set.copyOf(allowMismatch);
    }

    /**
     * One wheel of the output.
     *
     * @param filename its file name, for messages and its package's name
     * @param natives its ELF files
     */
    public record Wheel(String filename, NativeFiles natives) {
    }

    /** Checks nothing (no target is known). */
    public static NativeCheck none() {
        return new NativeCheck(null, 0, 0, Set.of(), null);
    }

    /**
     * The check for a target: its platform tags, its Python version and the packages the user allows to mismatch.
     * A target without a Linux platform checks nothing, with a debug note.
     */
    public static NativeCheck of(List<String> platforms, int pythonMajor, int pythonMinor,
                                 Collection<String> allowMismatch) {
        Set<String> allowed = new HashSet<>();
        allowMismatch.forEach(n -> allowed.add(ProjectName.normalize(n.strip())));
        LinuxPlatform platform = LinuxPlatform.forTarget(platforms);
        return new NativeCheck(platform, pythonMajor, pythonMinor, allowed, platform != null ? null : "The target's"
                + " platforms " + platforms + " are not Linux: the native code of the wheels is not checked");
    }

    /**
     * Checks the wheels of one output.
     *
     * @throws PyBundleException naming every wheel at fault (but those allowed to mismatch), the files in it, what
     *     they need and what the target provides
     */
    public void check(List<Wheel> wheels, BuildListener listener) {
        if (platform == null) {
            if (skipped != null && wheels.stream().anyMatch(w -> !w.natives().files().isEmpty())) {
                listener.log(BuildListener.Level.DEBUG, skipped);
            }
            return;
        }
        Set<String> installed = new HashSet<>();
        for (Wheel w : wheels) {
            w.natives().files().forEach(f -> installed.add(installedPath(f.path())));
        }
        List<String> failures = new ArrayList<>();
        Set<String> failing = new LinkedHashSet<>();
        String neededGlibc = null;
        Map<String, Set<String>> drivers = new TreeMap<>(); // package -> driver libraries it needs
        for (Wheel w : wheels) {
            Set<String> libs = libsDirectoryFiles(w.natives());
            List<String> lines = new ArrayList<>();
            for (NativeFiles.File f : w.natives().files()) {
                Problems p = problems(f, installed, libs);
                if (!p.drivers.isEmpty()) {
                    drivers.computeIfAbsent(packageName(w.filename()), k -> new TreeSet<>())
                            .addAll(p.drivers);
                }
                if (!p.parts.isEmpty()) {
                    lines.add(printable(f.path()) + " " + String.join("; ", p.parts));
                }
                if (p.glibc != null && (neededGlibc == null
                        || LinuxPlatform.compareVersions(p.glibc, neededGlibc) > 0)) {
                    neededGlibc = p.glibc;
                }
            }
            if (lines.isEmpty()) {
                continue;
            }
            String pkg = packageName(w.filename());
            StringBuilder text = new StringBuilder(w.filename()).append(" has native code that ")
                    .append(platform.describe()).append(" cannot load:");
            lines.stream().limit(MAX_FILES_SHOWN).forEach(l -> text.append("\n  ").append(l));
            if (lines.size() > MAX_FILES_SHOWN) {
                text.append("\n  and ").append(lines.size() - MAX_FILES_SHOWN).append(" more files");
            }
            if (allowMismatch.contains(pkg)) {
                listener.log(BuildListener.Level.WARN, text + "\n" + pkg + " is in {@target.allowNativeMismatch}:"
                        + " bundled anyway");
            } else {
                failures.add(text.toString());
                failing.add(pkg);
            }
        }
        if (!failures.isEmpty()) {
            throw new PyBundleException(String.join("\n", failures), hints(failing, neededGlibc));
        }
        if (!drivers.isEmpty()) {
            List<String> parts = new ArrayList<>();
            drivers.forEach((pkg, libs) -> parts.add(pkg + " needs " + String.join(", ", libs.stream().map(l -> l
                    + " (" + DRIVER_LIBRARIES.get(l) + ")").toList())));
            listener.log(BuildListener.Level.INFO, "Left to the nodes' drivers, as the wheels intend (not bundled):"
                    + " " + String.join("; ", parts) + ". Nodes without that hardware and driver cannot load that"
                    + " code; the rest of each package loads as usual");
        }
    }

    private List<String> hints(Set<String> packages, String neededGlibc) {
        String names = String.join(", ", packages);
        List<String> hints = new ArrayList<>();
        boolean one = packages.size() == 1;
        hints.add("pin " + (one ? "an older version of " : "older versions of ") + names + " whose wheel"
                + (one ? " is" : "s are") + " built for " + platform.policyName() + " (a requirement such as "
                + packages.iterator().next() + "<VERSION, then {#updateLock})");
        if (platform.libc() == LinuxPlatform.Libc.GLIBC && neededGlibc != null
                && LinuxPlatform.compareVersions(neededGlibc, platform.libcVersion()) > 0) {
            hints.add("if every node has glibc " + neededGlibc + " or newer (ldd --version), raise {@target.platforms}"
                    + " to manylinux_" + neededGlibc.replace('.', '_') + "_" + platform.architecture());
        } else {
            hints.add("if every node provides it, raise {@target.platforms} to a newer manylinux_X_Y_"
                    + platform.architecture());
        }
        hints.add("after checking by hand that the nodes can load it, list " + names + " in"
                + " {@target.allowNativeMismatch} to bundle it with a warning");
        return hints;
    }

    // What is wrong with one file, and the highest glibc it needs over the platform's (for the hints).
    private static final class Problems {
        final List<String> parts = new ArrayList<>();
        final Set<String> drivers = new TreeSet<>();
        String glibc;
    }

    private Problems problems(NativeFiles.File f, Set<String> installed, Set<String> libs) {
        Problems p = new Problems();
        if (f.elf() == null) {
            p.parts.add("starts like an ELF file but cannot be read: it " + f.problem());
            return p;
        }
        ElfFile elf = f.elf();
        if (!elf.loadable()) {
            return p; // a relocatable object (.o) is never loaded as it is
        }
        ElfMachine want = ElfMachine.of(platform.architecture());
        if (want != null && !want.matches(elf.machine(), elf.bits(), elf.littleEndian())) {
            p.parts.add("is built for " + elf.describe() + ", not " + platform.architecture());
            return p;
        }
        if (platform.libc() == LinuxPlatform.Libc.UNKNOWN) {
            return p;
        }
        String origin = parent(installedPath(f.path()));
        Set<String> inBundle = new HashSet<>();
        List<String> missing = new ArrayList<>();
        for (String needed : elf.needed()) {
            if (found(needed, elf, origin, installed) || libs.contains(needed)) {
                inBundle.add(needed);
            } else if (DRIVER_LIBRARIES.containsKey(needed)) {
                p.drivers.add(needed);
            } else if (!platform.providesLibrary(needed) && !isLibpython(needed)) {
                missing.add(needed);
            }
        }
        boolean musl = platform.libc() == LinuxPlatform.Libc.MUSL;
        if (musl) {
            List<String> glibc = new ArrayList<>();
            for (ElfFile.VersionNeed n : elf.versionNeeds()) {
                n.versions().stream().filter(v -> v.startsWith("GLIBC_")).reduce((a, b) -> higher(a, b))
                        .ifPresent(v -> glibc.add(v + " from " + n.file()));
            }
            if (missing.remove("libc.so.6") || !glibc.isEmpty()) {
                p.parts.add("needs glibc" + (glibc.isEmpty() ? " (libc.so.6)" : " (" + String.join(", ", glibc)
                        + ")") + ", which " + platform.policyName() + " systems do not have: they have musl");
            }
        } else {
            // The highest version over the limit for each prefix, from the system libraries (not bundled ones).
            Map<String, String> over = new LinkedHashMap<>();
            for (ElfFile.VersionNeed n : elf.versionNeeds()) {
                if (inBundle.contains(n.file()) || !platform.providesLibrary(n.file())) {
                    continue;
                }
                for (String v : n.versions()) {
                    if (platform.versionProblem(v) != null) {
                        String prefix = v.substring(0, v.indexOf('_'));
                        String before = over.get(prefix);
                        over.put(prefix, before == null ? v + " (" + n.file() + ")" : higher(before, v + " ("
                                + n.file() + ")"));
                    }
                }
            }
            if (!over.isEmpty()) {
                p.parts.add("needs " + String.join(", ", over.values()));
                String g = over.get("GLIBC");
                if (g != null && LinuxPlatform.isNumeric(g.substring(6, g.indexOf(' ')))) {
                    p.glibc = g.substring(6, g.indexOf(' '));
                }
            }
        }
        for (String lib : missing) {
            Matcher py = LIBPYTHON.matcher(lib);
            p.parts.add(py.matches() ? "needs " + printable(lib) + ", the library of Python " + py.group(1) + "."
                    + py.group(2) + ", but the target's Python is " + pythonMajor + "." + pythonMinor
                    : "needs " + printable(lib) + ", which is neither in the bundle" + searched(elf)
                    + " nor a library every " + platform.policyName() + " system provides");
        }
        return p;
    }

    // The higher of two "PREFIX_X.Y..." versions (with anything after a space ignored); named ones sort first.
    private static String higher(String a, String b) {
        String x = a.substring(a.indexOf('_') + 1).split(" ")[0];
        String y = b.substring(b.indexOf('_') + 1).split(" ")[0];
        boolean nx = LinuxPlatform.isNumeric(x);
        boolean ny = LinuxPlatform.isNumeric(y);
        if (nx != ny) {
            return nx ? a : b;
        }
        return !nx || LinuxPlatform.compareVersions(x, y) >= 0 ? a : b;
    }

    private static String searched(ElfFile elf) {
        List<String> dirs = new ArrayList<>();
        elf.rpath().forEach(d -> dirs.add("RPATH " + printable(d)));
        elf.runpath().forEach(d -> dirs.add("RUNPATH " + printable(d)));
        return dirs.isEmpty() ? " (it has no RPATH or RUNPATH)" : " (" + String.join(", ", dirs) + ")";
    }

    // libpythonX.Y of the target's version: present where the interpreter is, which loads the extension module.
    private boolean isLibpython(String lib) {
        Matcher m = LIBPYTHON.matcher(lib);
        return m.matches() && Integer.parseInt(m.group(1)) == pythonMajor
                && Integer.parseInt(m.group(2)) == pythonMinor;
    }

    // Whether the loader finds `needed` in the output through the file's $ORIGIN-relative RPATH or RUNPATH.
    private static boolean found(String needed, ElfFile elf, String origin, Set<String> installed) {
        if (needed.contains("/")) {
            return false;
        }
        List<String> dirs = new ArrayList<>(elf.rpath());
        dirs.addAll(elf.runpath());
        for (String dir : dirs) {
            String rest = dir.startsWith("$ORIGIN") ? dir.substring("$ORIGIN".length())
                    : dir.startsWith("${ORIGIN}") ? dir.substring("${ORIGIN}".length()) : null;
            if (rest == null || !rest.isEmpty() && !rest.startsWith("/")) {
                continue; // an absolute directory is not in the bundle; the system's are in the policy
            }
            String resolved = normalize(origin + rest);
            if (resolved != null && installed.contains(resolved.isEmpty() ? needed : resolved + "/" + needed)) {
                return true;
            }
        }
        return false;
    }

    // The file names in the wheel's top-level *.libs/ directories (auditwheel puts the libraries it grafts there).
    private static Set<String> libsDirectoryFiles(NativeFiles natives) {
        Set<String> out = new TreeSet<>();
        for (NativeFiles.File f : natives.files()) {
            String[] parts = f.path().split("/");
            if (parts.length >= 2 && parts[0].endsWith(".libs")) {
                out.add(parts[parts.length - 1]);
            }
        }
        return out;
    }

    /**
     * Where a wheel's file is once installed, relative to the environment's root: {@code site-packages/...} for the
     * root and {@code .data/purelib} or {@code platlib}, {@code bin/} for scripts, {@code include/} for headers, the
     * root for data. Enough to follow {@code $ORIGIN} from one file to another.
     */
    static String installedPath(String path) {
        Matcher m = DATA.matcher(path);
        if (!m.matches()) {
            return "site-packages/" + path;
        }
        return switch (m.group(1)) {
            case "scripts" -> "bin/" + m.group(2);
            case "headers" -> "include/" + m.group(2);
            case "data" -> m.group(2);
            default -> "site-packages/" + m.group(2);
        };
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    // "a/b/../c" → "a/c"; null when it climbs above the root.
    private static String normalize(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String s : path.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else {
                parts.addLast(s);
            }
        }
        return String.join("/", parts);
    }

    private static String packageName(String filename) {
        try {
            return WheelFilename.parse(filename).name();
        } catch (RuntimeException notAWheelName) {
            int dash = filename.indexOf('-');
            return ProjectName.normalize(dash > 0 ? filename.substring(0, dash) : filename);
        }
    }

    private static String printable(String text) {
        return DistributionFilename.printable(text);
    }
}

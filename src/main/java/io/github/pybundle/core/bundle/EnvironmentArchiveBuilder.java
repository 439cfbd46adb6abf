package io.github.pybundle.core.bundle;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.archive.ArchiveContent;
import io.github.pybundle.core.archive.ArchivePlan;
import io.github.pybundle.core.archive.ArchiveWriter;
import io.github.pybundle.core.archive.ReproducibleTarWriter;
import io.github.pybundle.core.archive.ReproducibleZipWriter;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.target.PythonArchive;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.core.wheel.WheelDestination;
import io.github.pybundle.core.wheel.WheelInstaller;
import io.github.pybundle.core.wheel.WheelSource;
import io.github.pybundle.core.wheel.WheelVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the environment archive Spark unpacks with {@code --archives env.tar.gz#environment}: the wheels installed as
 * the wheel specification says ({@link WheelInstaller}), in the layout of a virtual environment, straight from the
 * wheels (nothing is installed on the build machine), plus {@code bin/python}, which starts the cluster's interpreter
 * with this environment's packages first on {@code sys.path}.
 *
 * <ul>
 *   <li>root, {@code .data/purelib} and {@code .data/platlib} files → {@code lib/pythonX.Y/site-packages/};</li>
 *   <li>{@code .data/scripts} → {@code bin/}, a {@code #!python} first line made relocatable;</li>
 *   <li>{@code .data/headers} → {@code include/site/pythonX.Y/<project>/}; {@code .data/data} → the root;</li>
 *   <li>console and GUI entry points ({@code entry_points.txt}) → {@code bin/} scripts, unless a file is there.</li>
 * </ul>
 *
 * <p>A wheel's files are copied as they are stored in the wheel (deflated), not inflated and compressed again: in a
 * {@code .tar.gz} each becomes a gzip member of its own, in a zip an entry with the same compressed bytes. Every file
 * is still inflated once and checked against its wheel's RECORD and zip header before the archive is committed
 * ({@link WheelVerifier}: several wheels at once, while the archive is written, and once per wheel content); on any
 * failure the archive is discarded, so nothing half-written is left.
 */
public final class EnvironmentArchiveBuilder {
    /** The archive format. */
    public enum Format {
        TAR_GZ, ZIP;

        /**
         * The format a user wrote: {@code tar.gz} or {@code zip}.
         *
         * @throws InvalidConfigurationException for anything else
         */
        public static Format parse(String value) {
            switch (value.strip()) {
                case "tar.gz":
                    return TAR_GZ;
                case "zip":
                    return ZIP;
                default:
                    throw new InvalidConfigurationException("archiveFormat", value, "{@archiveFormat} must be tar.gz or"
                            + " zip, not '" + value + "'", "YARN, Kubernetes and standalone Spark unpack both");
            }
        }
    }

    private static final int FILE_MODE = 0100644;
    private static final int EXECUTABLE_MODE = 0100755;

    /**
     * The cluster's Python.
     *
     * @param major its major version
     * @param minor its minor version
     * @param command the command that starts it, e.g. {@code python3}
     */
    public record Interpreter(int major, int minor, String command) {
        String version() {
            return major + "." + minor;
        }
    }

    /**
     * What to build.
     *
     * @param wheels the wheels to install, in order (the first of two wheels shipping one path names the other)
     * @param interpreter the cluster's Python
     * @param format tar.gz or zip
     * @param target the archive's path
     * @param timestamp the time of every entry
     * @param checks how the wheels are checked
     * @param shipped the interpreter shipped under {@code python/}, or null to run the cluster's
     */
    public record Request(List<Path> wheels, Interpreter interpreter, Format format, Path target, Instant timestamp,
                          WheelChecks checks, PythonArchive.Shipped shipped) {
        public Request {
            wheels = List.copyOf(wheels);
            if (shipped != null && format == Format.ZIP) {
                throw zipCannotShip();
            }
        }

        public Request(List<Path> wheels, Interpreter interpreter, Format format, Path target, Instant timestamp,
                       WheelChecks checks) {
            this(wheels, interpreter, format, target, timestamp, checks, null);
        }
    }

    /** The error for a zip environment with a shipped interpreter. */
    public static InvalidConfigurationException zipCannotShip() {
        return new InvalidConfigurationException("archiveFormat", "zip", "{@archiveFormat=zip} cannot carry the"
                + " interpreter of {@target.pythonArchive}: a zip keeps no symbolic links, and the interpreter needs"
                + " them (python3 -> python3.X, its shared libraries)", "use {@archiveFormat=tar.gz} (YARN,"
                + " Kubernetes and standalone Spark unpack it), or drop {@target.pythonArchive}");
    }

    private EnvironmentArchiveBuilder() {
    }

    /**
     * The first of the target's platforms whose nodes cannot run this archive, or null when all can. The archive is a
     * POSIX virtual environment: {@code bin/python} is a shell script, the packages are under
     * {@code lib/pythonX.Y/site-packages}. Linux and macOS run it (the latter for a local Spark on a Mac); Windows
     * looks for {@code Scripts\python.exe} and {@code Lib\site-packages}, and has no {@code /bin/sh}.
     */
    public static String unsupportedPlatform(List<String> platforms) {
        return platforms.stream().filter(p -> p.equals("win32") || p.startsWith("win_")).findFirst().orElse(null);
    }

    /**
     * The error for a bundle that needs an environment archive on a platform that cannot run one.
     *
     * @param platform the platform ({@link #unsupportedPlatform})
     * @param needs what needs the archive: the wheels with compiled code, or the shipped interpreter
     */
    public static InvalidConfigurationException unsupported(String platform, String needs) {
        return new InvalidConfigurationException("target", platform, "pybundle cannot build an environment archive"
                + " for " + platform + " (Windows), and this bundle needs one for " + needs + ": the archive is a"
                + " POSIX virtual environment (bin/python is a shell script, the packages are under"
                + " lib/pythonX.Y/site-packages), which Windows nodes cannot run", "if the cluster runs Linux, set"
                + " {@target.platforms} to its platform (e.g. manylinux2014_x86_64; {!probe} tells it); for Windows"
                + " nodes, install those packages there and declare them in {@target.provided}, or depend only on"
                + " pure-Python packages (the py-files zip needs no environment archive)");
    }

    /** The archive's file name: {@code {finalName}-pyenv.tar.gz} or {@code .zip}. */
    public static String fileName(String finalName, Format format) {
        return finalName + "-pyenv" + (format == Format.ZIP ? ".zip" : ".tar.gz");
    }

    /** Writes the archive and returns its path. */
    public static Path build(Request request) throws IOException {
        return buildDigested(request).archive();
    }

    /** An archive written, with the sha256 of its bytes. */
    public record Built(Path archive, String sha256) {
    }

    /** Writes the archive; returns its path and its sha256, computed as it was written where the format allows. */
    public static Built buildDigested(Request request) throws IOException {
        WheelChecks wheelChecks = request.checks();
        String py = request.interpreter().version();
        ArchivePlan plan = new ArchivePlan(PathConflicts.refusing());
        Environment environment = new Environment(plan, py);
        List<WheelSource> open = new ArrayList<>();
        long inflated = 0;
        // The wheels are checked on other threads while the archive is written; it is committed only if all pass.
        try (WheelVerifier.Pending checks = WheelVerifier.start(request.wheels(), wheelChecks)) {
            String script = request.shipped() == null ? launcher(py, request.interpreter().command())
                    : shippedLauncher(py, request.shipped());
            plan.add("bin/python", ArchiveContent.bytes(script.getBytes(StandardCharsets.UTF_8)), EXECUTABLE_MODE,
                    "pybundle");
            for (Path w : request.wheels()) {
                WheelSource wheel = wheelChecks.open(w);
                open.add(wheel);
                inflated += wheel.inflatedSize();
                wheelChecks.checkTotal(inflated, "the environment archive");
                WheelInstaller.install(wheel, environment);
            }
            try (ArchiveWriter out = request.format() == Format.ZIP
                    ? new ReproducibleZipWriter(request.target(), request.timestamp())
                    : new ReproducibleTarWriter(request.target(), request.timestamp())) {
                plan.write(out);
                if (request.shipped() != null) {
                    String clash = plan.firstUnder(PythonArchive.ROOT);
                    if (clash != null) {
                        throw new InvalidConfigurationException("target", request.shipped().location(), "a wheel"
                                + " installs " + clash + ", where the interpreter of {@target.pythonArchive} goes",
                                "report it to the wheel's project; leave that package out with {@excludes}");
                    }
                    // After the planned files: its own order (the archive's), which is as reproducible.
                    PythonArchive.copyTo(request.shipped(), out);
                }
                checks.await();
                out.commit();
                return new Built(request.target(), out.writtenSha256() != null ? out.writtenSha256()
                        : Digests.sha256Hex(request.target()));
            }
        } finally {
            for (WheelSource w : open) {
                w.close();
            }
        }
    }

    /** The layout of a virtual environment, as a destination for {@link WheelInstaller}. */
    private static final class Environment implements WheelDestination {
        private final ArchivePlan plan;
        private final String py;
        private final String site;

        Environment(ArchivePlan plan, String py) {
            this.plan = plan;
            this.py = py;
            this.site = "lib/python" + py + "/site-packages/";
        }

        @Override
        public String writeFile(WheelSource source, Scheme scheme, String path, ArchiveContent content,
                                boolean executable) {
            String dest = switch (scheme) {
                case PURELIB, PLATLIB -> site + path;
                case SCRIPTS -> "bin/" + path;
                case HEADERS -> "include/site/python" + py + "/" + project(source) + "/" + path;
                case DATA -> path;
            };
            plan.add(dest, content, executable ? EXECUTABLE_MODE : FILE_MODE, source.filename());
            return dest;
        }

        @Override
        public String writeScript(WheelSource source, String name, ArchiveContent content) {
            String dest = "bin/" + name;
            if (plan.contains(dest)) { // a wheel's own script of that name, or bin/python, is kept
                return null;
            }
            plan.add(dest, content, EXECUTABLE_MODE, source.filename());
            return dest;
        }

        // Each project's headers get a directory of their own (named as its .dist-info spells it), so none meet.
        private static String project(WheelSource source) {
            return source.distInfo().substring(0, source.distInfo().indexOf('-'));
        }
    }

    /**
     * {@code bin/python} with a shipped interpreter: runs it, from wherever the archive was unpacked, with this
     * environment's site-packages first on {@code sys.path}. An inherited {@code PYTHONHOME} (set for the node's own
     * Python) would make it look for its standard library elsewhere, so it is dropped.
     */
    static String shippedLauncher(String py, PythonArchive.Shipped shipped) {
        return "#!/bin/sh\n"
                + "# Runs the Python " + shipped.version() + " shipped in this environment, with its packages. Written"
                + " by pybundle.\n"
                + "env_dir=$(CDPATH= cd -- \"$(dirname -- \"$0\")/..\" && pwd)\n"
                + "unset PYTHONHOME\n"
                + "PYTHONPATH=\"$env_dir/lib/python" + py + "/site-packages${PYTHONPATH:+:$PYTHONPATH}\"\n"
                + "export PYTHONPATH\n"
                + "exec \"$env_dir/" + shipped.executable() + "\" \"$@\"\n";
    }

    /**
     * {@code bin/python}: runs the cluster's interpreter with this environment's site-packages first on
     * {@code sys.path}, keeping the entries already there (Spark puts pyspark and the py-files there), from wherever
     * the archive was unpacked; refuses a Python of another major.minor with a clear message.
     */
    static String launcher(String py, String interpreter) {
        return "#!/bin/sh\n"
                + "# Runs the cluster's Python with this environment's packages (Python " + py + "). Written by"
                + " pybundle.\n"
                + "# The interpreter: $PYBUNDLE_PYTHON, else " + interpreter + " on PATH.\n"
                + "env_dir=$(CDPATH= cd -- \"$(dirname -- \"$0\")/..\" && pwd)\n"
                + "interpreter=${PYBUNDLE_PYTHON:-" + interpreter + "}\n"
                + "actual=$(\"$interpreter\" -c 'import sys; print(\"%d.%d\" % sys.version_info[:2])' 2>/dev/null)"
                + " || {\n"
                + "  echo \"pybundle: cannot run '$interpreter' (set PYBUNDLE_PYTHON to the nodes' Python " + py
                + " command, or ship one with <target><pythonArchive>)\" >&2\n"
                + "  exit 127\n"
                + "}\n"
                + "if [ \"$actual\" != \"" + py + "\" ]; then\n"
                + "  echo \"pybundle: this environment was built for Python " + py + ", but '$interpreter' is Python"
                + " $actual\" >&2\n"
                + "  echo \"pybundle: to fix it, do one of these:\" >&2\n"
                + "  echo \"pybundle:  - set PYBUNDLE_PYTHON to the nodes' Python " + py + " command when running"
                + " spark-submit.sh (it passes it to the executors; with another launcher, set"
                + " spark.executorEnv.PYBUNDLE_PYTHON and spark.yarn.appMasterEnv.PYBUNDLE_PYTHON)\" >&2\n"
                + "  echo \"pybundle:  - rebuild with <target><interpreter> naming that command\" >&2\n"
                + "  echo \"pybundle:  - rebuild with <target><pythonArchive> to ship a Python " + py + " in the"
                + " bundle, so the nodes need none\" >&2\n"
                + "  echo \"pybundle:  - rebuild for Python $actual (<target><pythonVersion>)\" >&2\n"
                + "  exit 1\n"
                + "fi\n"
                + "PYTHONPATH=\"$env_dir/lib/python" + py + "/site-packages${PYTHONPATH:+:$PYTHONPATH}\"\n"
                + "export PYTHONPATH\n"
                + "exec \"$interpreter\" \"$@\"\n";
    }
}

package io.github.pybundle.core.bundle;

import io.github.pybundle.core.wheel.EntryPoints;
import io.github.pybundle.core.wheel.UnsafeWheelException;
import io.github.pybundle.core.wheel.WheelSource;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.core.wheel.WheelEntries;
import io.github.pybundle.core.wheel.WheelVerifier;

import io.github.pybundle.core.archive.ArchiveContent;
import io.github.pybundle.core.archive.ArchivePlan;
import io.github.pybundle.core.archive.ArchiveWriter;
import io.github.pybundle.core.archive.ReproducibleTarWriter;
import io.github.pybundle.core.archive.ReproducibleZipWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Builds the environment archive Spark unpacks with {@code --archives env.tar.gz#environment}: the wheels installed as
 * the wheel specification says, in the layout of a virtual environment, straight from the wheels (nothing is
 * installed on the build machine), plus {@code bin/python}, which starts the cluster's interpreter with this
 * environment's packages first on {@code sys.path}.
 *
 * <ul>
 *   <li>root, {@code .data/purelib} and {@code .data/platlib} files → {@code lib/pythonX.Y/site-packages/};</li>
 *   <li>{@code .data/scripts} → {@code bin/}, a {@code #!python} first line made relocatable;</li>
 *   <li>{@code .data/headers} → {@code include/site/pythonX.Y/<project>/}; {@code .data/data} → the root;</li>
 *   <li>console and GUI entry points ({@code entry_points.txt}) → {@code bin/} scripts.</li>
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
    public enum Format { TAR_GZ, ZIP }

    // A script that sh runs with the environment's python, and Python reads as a string literal and skips.
    private static final String RELOCATABLE_SHEBANG = "#!/bin/sh\n'''exec' \"$(dirname -- \"$0\")/python\" \"$0\""
            + " \"$@\"\n' '''\n";

    private EnvironmentArchiveBuilder() {
    }

    /** The archive's file name: {@code {finalName}-pyenv.tar.gz} or {@code .zip}. */
    public static String fileName(String finalName, Format format) {
        return finalName + "-pyenv" + (format == Format.ZIP ? ".zip" : ".tar.gz");
    }

    /**
     * Writes the archive.
     *
     * @param major the target's Python major version
     * @param minor the target's Python minor version
     * @param interpreter the cluster's interpreter command, e.g. {@code python3}
     */
    public static Path build(List<Path> wheels, int major, int minor, String interpreter, Path target,
                             Instant timestamp, Format format) throws IOException {
        return build(wheels, major, minor, interpreter, target, timestamp, format, WheelVerifier.Memo.none());
    }

    /** Writes the archive; wheels {@code memo} remembers as checked are not inflated again. */
    public static Path build(List<Path> wheels, int major, int minor, String interpreter, Path target,
                             Instant timestamp, Format format, WheelVerifier.Memo memo) throws IOException {
        return build(wheels, major, minor, interpreter, target, timestamp, format,
                WheelChecks.defaults().withMemo(memo));
    }

    /** Writes the archive, the wheels checked as {@code wheelChecks} says. */
    public static Path build(List<Path> wheels, int major, int minor, String interpreter, Path target,
                             Instant timestamp, Format format, WheelChecks wheelChecks) throws IOException {
        String py = major + "." + minor;
        String site = "lib/python" + py + "/site-packages/";
        ArchivePlan plan = new ArchivePlan(PathConflicts.refusing());
        List<WheelSource> open = new ArrayList<>();
        long inflated = 0;
        // The wheels are checked on other threads while the archive is written; it is committed only if all pass.
        try (WheelVerifier.Pending checks = WheelVerifier.start(wheels, wheelChecks.memo())) {
            plan.add("bin/python", ArchiveContent.bytes(launcher(py, interpreter).getBytes(StandardCharsets.UTF_8)),
                    0100755, "pybundle");
            for (Path w : wheels) {
                WheelSource wheel = wheelChecks.open(w);
                open.add(wheel);
                inflated += wheel.inflatedSize();
                wheelChecks.checkTotal(inflated, "the environment archive");
                String project = wheel.distInfo().substring(0, wheel.distInfo().indexOf('-'));
                for (ZipArchiveEntry e : wheel.files()) {
                    String name = WheelSource.rawName(e);
                    String dest = WheelEntries.siteDestination(name);
                    boolean script = false;
                    if (dest != null) {
                        dest = site + dest;
                    } else {
                        String rest = name.substring(name.indexOf('/') + 1);
                        String kind = rest.substring(0, rest.indexOf('/') + 1);
                        String path = rest.substring(kind.length());
                        switch (kind) {
                            case "scripts/" -> {
                                dest = "bin/" + path;
                                script = true;
                            }
                            case "headers/" -> dest = "include/site/python" + py + "/" + project + "/" + path;
                            case "data/" -> dest = path;
                            default -> throw new UnsafeWheelException(wheel.filename(), "entry '" + name
                                    + "' is in an unknown .data directory", "the wheel is malformed");
                        }
                    }
                    boolean executable = script || (e.getUnixMode() & 0111) != 0;
                    plan.add(dest, script ? relocatable(wheel, e) : wheel.content(e), executable ? 0100755 : 0100644,
                            wheel.filename());
                }
                for (Map.Entry<String, String> ep : EntryPoints.scripts(wheel).entrySet()) {
                    if (!plan.contains("bin/" + ep.getKey())) {
                        plan.add("bin/" + ep.getKey(), ArchiveContent.bytes((RELOCATABLE_SHEBANG + ep.getValue())
                                .getBytes(StandardCharsets.UTF_8)), 0100755, wheel.filename());
                    }
                }
            }
            try (ArchiveWriter out = format == Format.ZIP ? new ReproducibleZipWriter(target, timestamp)
                    : new ReproducibleTarWriter(target, timestamp)) {
                plan.write(out);
                checks.await();
                out.commit();
            }
            return target;
        } finally {
            for (WheelSource w : open) {
                w.close();
            }
        }
    }

    // Read when written (every wheel file is checked by WheelVerifier before the commit); never the same file as
    // another, since its bytes change.
    private static ArchiveContent relocatable(WheelSource wheel, ZipArchiveEntry e) {
        return (out, name, mode) -> {
            byte[] original;
            try (InputStream in = wheel.zip().getInputStream(e)) {
                original = in.readNBytes((int) Math.min(e.getSize(), 64L * 1024 * 1024));
            }
            byte[] fixed = relocatable(original);
            out.addStream(name, new ByteArrayInputStream(fixed), fixed.length, mode);
        };
    }

    // The wheel spec: a script whose first line is "#!python" (or "#!pythonw") gets the environment's interpreter.
    static byte[] relocatable(byte[] script) {
        String text = new String(script, StandardCharsets.ISO_8859_1);
        if (text.startsWith("#!python")) {
            int eol = text.indexOf('\n');
            return (RELOCATABLE_SHEBANG + (eol < 0 ? "" : text.substring(eol + 1)))
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
        return script;
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
                + "  echo \"pybundle: cannot run '$interpreter' (set PYBUNDLE_PYTHON to the cluster's Python " + py
                + ")\" >&2\n"
                + "  exit 127\n"
                + "}\n"
                + "if [ \"$actual\" != \"" + py + "\" ]; then\n"
                + "  echo \"pybundle: this environment was built for Python " + py + ", but '$interpreter' is Python"
                + " $actual\" >&2\n"
                + "  exit 1\n"
                + "fi\n"
                + "PYTHONPATH=\"$env_dir/lib/python" + py + "/site-packages${PYTHONPATH:+:$PYTHONPATH}\"\n"
                + "export PYTHONPATH\n"
                + "exec \"$interpreter\" \"$@\"\n";
    }
}

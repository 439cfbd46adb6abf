package io.github.pybundle.core.bundle;

import io.github.pybundle.core.wheel.EntryPoints;
import io.github.pybundle.core.wheel.UnsafeWheelException;
import io.github.pybundle.core.wheel.WheelSource;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.core.wheel.WheelEntries;
import io.github.pybundle.core.wheel.WheelVerifier;

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
import java.util.TreeMap;
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

    private record Source(WheelSource wheel, ZipArchiveEntry entry, byte[] bytes, int mode, boolean script) {
    }

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
        Map<String, Source> entries = new TreeMap<>();
        Map<String, String> origin = new TreeMap<>();
        ArchivePaths folded = new ArchivePaths();
        List<WheelSource> open = new ArrayList<>();
        long inflated = 0;
        // The wheels are checked on other threads while the archive is written; it is committed only if all pass.
        try (WheelVerifier.Pending checks = WheelVerifier.start(wheels, wheelChecks.memo())) {
            put(entries, origin, folded, "bin/python", new Source(null, null, launcher(py, interpreter)
                    .getBytes(StandardCharsets.UTF_8), 0100755, false), "pybundle");
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
                    put(entries, origin, folded, dest, new Source(wheel, e, null, executable ? 0100755 : 0100644,
                            script),
                            wheel.filename());
                }
                for (Map.Entry<String, String> ep : EntryPoints.scripts(wheel).entrySet()) {
                    if (!entries.containsKey("bin/" + ep.getKey())) {
                        put(entries, origin, folded, "bin/" + ep.getKey(), new Source(null, null, (RELOCATABLE_SHEBANG
                                + ep.getValue()).getBytes(StandardCharsets.UTF_8), 0100755, false), wheel.filename());
                    }
                }
            }
            for (String name : new ArrayList<>(entries.keySet())) {
                for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
                    entries.putIfAbsent(name.substring(0, i + 1), null);
                }
            }
            try (ArchiveWriter out = format == Format.ZIP ? new ReproducibleZipWriter(target, timestamp)
                    : new ReproducibleTarWriter(target, timestamp)) {
                for (Map.Entry<String, Source> e : entries.entrySet()) {
                    write(out, e.getKey(), e.getValue());
                }
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

    private static void put(Map<String, Source> entries, Map<String, String> origin, ArchivePaths folded, String dest,
                            Source s, String from) {
        Source previous = entries.get(dest);
        if (previous != null && previous.wheel() != null && s.wheel() != null && !previous.script() && !s.script()
                && previous.wheel().sameFile(previous.entry(), s.wheel(), s.entry())) {
            return; // the same file from two wheels (a shared namespace package's __init__.py): one copy
        }
        if (previous != null) {
            throw new UnsafeWheelException(from, "'" + dest + "' is also provided by " + origin.get(dest),
                    "two packages ship different files at the same path; remove one of them from the requirements");
        }
        String other = folded.collision(dest);
        if (other != null) {
            throw new UnsafeWheelException(from, "'" + dest + "' differs from '" + other + "' (from "
                    + origin.get(other) + ") only in case; unpacked on a case-insensitive file system they would be"
                    + " one file", "two packages ship files whose names differ only in case; remove one of them");
        }
        entries.put(dest, s);
        origin.put(dest, from);
    }

    private static void write(ArchiveWriter out, String name, Source s) throws IOException {
        if (s == null) {
            out.addDirectory(name);
        } else if (s.bytes() != null) {
            out.addStream(name, new ByteArrayInputStream(s.bytes()), s.bytes().length, s.mode());
        } else if (s.script()) { // every wheel file is checked by WheelVerifier before the commit
            byte[] original;
            try (InputStream in = s.wheel().zip().getInputStream(s.entry())) {
                original = in.readNBytes((int) Math.min(s.entry().getSize(), 64L * 1024 * 1024));
            }
            byte[] fixed = relocatable(original);
            out.addStream(name, new ByteArrayInputStream(fixed), fixed.length, s.mode());
        } else { // stored or deflated (WheelSource admits no other method): copied as it is, not recompressed
            try (InputStream raw = s.wheel().zip().getRawInputStream(s.entry())) {
                out.addRaw(name, s.entry(), raw, s.mode());
            }
        }
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

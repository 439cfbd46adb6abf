package io.github.pybundle.core.wheel;

import io.github.pybundle.core.archive.ArchiveContent;
import io.github.pybundle.core.wheel.WheelDestination.Scheme;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Installs a wheel into a {@link WheelDestination} as the wheel specification says, like pypa/installer's
 * {@code install(source, destination)}: it only coordinates, saying of each file what it is, and the destination
 * decides where it goes.
 *
 * <ul>
 *   <li>root files → the root scheme (purelib when WHEEL says {@code Root-Is-Purelib: true}, else platlib);</li>
 *   <li>{@code .data/<scheme>/} files → that scheme (purelib, platlib, scripts, headers, data);</li>
 *   <li>scripts: a {@code #!python} first line made relocatable;</li>
 *   <li>console and GUI entry points ({@code entry_points.txt}) → generated scripts, after the wheel's own files.</li>
 * </ul>
 *
 * <p>Scripts start with {@link #RELOCATABLE_SHEBANG}, which runs the {@code python} beside them: a destination that
 * takes scripts provides it. The RECORD is not rewritten; {@link #install} reports where the files it names under
 * {@code .data} went instead.
 */
public final class WheelInstaller {
    /**
     * The first lines of every script installed: sh runs the script with the {@code python} in its own directory,
     * and Python reads them as a string literal and skips them.
     */
    public static final String RELOCATABLE_SHEBANG = "#!/bin/sh\n'''exec' \"$(dirname -- \"$0\")/python\" \"$0\""
            + " \"$@\"\n' '''\n";
    // A script is read into memory to fix its first line; no script is larger.
    private static final long MAX_SCRIPT = 64L * 1024 * 1024;

    /**
     * A file whose RECORD path is not where it was installed: a {@code .data} file, which leaves its directory.
     *
     * @param recordPath its path in the wheel and its RECORD
     * @param path where the destination put it
     */
    public record Moved(String recordPath, String path) {
    }

    private WheelInstaller() {
    }

    /**
     * Installs every file of {@code source} that {@code destination} takes, then its entry points if it takes
     * scripts.
     *
     * @return the {@code .data} files placed, with where they went
     * @throws UnsafeWheelException on a {@code .data} directory the specification does not name, when the
     *     destination takes every scheme (one that takes fewer leaves such files out with the others), or on a
     *     malformed entry point
     */
    public static List<Moved> install(WheelSource source, WheelDestination destination) throws IOException {
        Set<Scheme> schemes = destination.schemes();
        boolean everything = schemes.size() == Scheme.values().length;
        Scheme root = source.rootIsPurelib() ? Scheme.PURELIB : Scheme.PLATLIB;
        List<Moved> moved = new ArrayList<>();
        for (ZipArchiveEntry e : source.files()) {
            String name = WheelSource.rawName(e);
            int slash = name.indexOf('/');
            String top = slash < 0 ? name : name.substring(0, slash);
            if (!top.endsWith(".data")) {
                if (schemes.contains(root)) {
                    destination.writeFile(source, root, name, source.content(e), executable(e));
                }
                continue;
            }
            String rest = name.substring(slash + 1);
            int end = rest.indexOf('/');
            Scheme scheme = end < 0 ? null : Scheme.ofDataDirectory(rest.substring(0, end));
            if (scheme == null) {
                if (everything) {
                    throw new UnsafeWheelException(source.filename(), "entry '" + name
                            + "' is in an unknown .data directory", "the wheel is malformed");
                }
                continue;
            }
            if (!schemes.contains(scheme)) {
                continue;
            }
            String path = rest.substring(end + 1);
            String placed = scheme == Scheme.SCRIPTS
                    ? destination.writeFile(source, scheme, path, relocatable(source, e), true)
                    : destination.writeFile(source, scheme, path, source.content(e), executable(e));
            moved.add(new Moved(name, placed));
        }
        if (schemes.contains(Scheme.SCRIPTS)) {
            for (Map.Entry<String, String> ep : EntryPoints.scripts(source).entrySet()) {
                destination.writeScript(source, ep.getKey(), ArchiveContent.bytes((RELOCATABLE_SHEBANG
                        + ep.getValue()).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return moved;
    }

    private static boolean executable(ZipArchiveEntry e) {
        return (e.getUnixMode() & 0111) != 0;
    }

    // Read when written (every wheel file is checked by WheelVerifier before an archive is committed); never the
    // same file as another, since its bytes change.
    private static ArchiveContent relocatable(WheelSource source, ZipArchiveEntry e) {
        return (out, name, mode) -> {
            byte[] original;
            try (InputStream in = source.zip().getInputStream(e)) {
                original = in.readNBytes((int) Math.min(e.getSize(), MAX_SCRIPT));
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
}

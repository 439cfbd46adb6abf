package io.github.pybundle.core.wheel;

import io.github.pybundle.core.archive.ArchiveContent;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where {@link WheelInstaller} puts a wheel's files: the installer says what each file is (its scheme and its path in
 * that scheme), the destination decides where it lands, or whether it lands at all, as in pypa/installer's
 * {@code WheelDestination}.
 */
public interface WheelDestination {
    /** The install schemes of the wheel specification: where a file of a wheel belongs. */
    enum Scheme {
        /** Pure-Python modules: site-packages. */
        PURELIB,
        /** Platform-specific modules: site-packages as well, on every layout pybundle writes. */
        PLATLIB,
        /** Programs: {@code bin/}. */
        SCRIPTS,
        /** C headers. */
        HEADERS,
        /** Data files, relative to the environment's root. */
        DATA;

        /** The scheme of a {@code .data/<directory>/} of a wheel, or null for a name the specification has not. */
        public static Scheme ofDataDirectory(String directory) {
            for (Scheme s : values()) {
                if (s.name().toLowerCase(Locale.ROOT).equals(directory)) {
                    return s;
                }
            }
            return null;
        }
    }

    /**
     * The schemes this destination takes; the installer leaves out the files of the others without looking at them
     * (a py-files zip has no place for scripts, headers or data).
     */
    default Set<Scheme> schemes() {
        return EnumSet.allOf(Scheme.class);
    }

    /**
     * Places one file of a wheel.
     *
     * @param source the wheel, whose file name is the file's origin in messages
     * @param scheme where the wheel puts it; one of {@link #schemes()}
     * @param path its path relative to the scheme's directory
     * @param content its bytes, read when the destination writes them
     * @param executable whether it is a program (a script, or a file the wheel marks executable)
     * @return where the destination put it, relative to its root
     */
    String writeFile(WheelSource source, Scheme scheme, String path, ArchiveContent content, boolean executable)
            throws IOException;

    /**
     * Places a script the installer generated for an entry point, if the destination takes {@link Scheme#SCRIPTS}.
     *
     * @return where the destination put it, or null when it kept what it had there
     */
    default String writeScript(WheelSource source, String name, ArchiveContent content) throws IOException {
        return null;
    }
}

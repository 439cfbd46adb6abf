package io.github.pybundle.core.spec.metadata;

import java.util.List;

/**
 * A wheel's {@code .dist-info/WHEEL} file (not the {@code .whl} itself): the format version, whether the root is
 * purelib, and the tags the wheel was built for.
 *
 * @param wheelVersion the {@code Wheel-Version} value as written, or null when there is none
 * @param rootIsPurelib whether {@code Root-Is-Purelib} is {@code true}: the wheel's root goes to purelib, else to
 *     platlib
 * @param tags the {@code Tag} values in order ({@code py3-none-any}...)
 * @see <a href="https://packaging.python.org/en/latest/specifications/binary-distribution-format/#the-dist-info-directory">The .dist-info directory</a>
 */
public record WheelFile(String wheelVersion, boolean rootIsPurelib, List<String> tags) {
    /** The most of a WHEEL file read, in bytes: a few short lines are all it holds. */
    public static final int MAX_SIZE = 64 * 1024;

    public WheelFile {
        tags = List.copyOf(tags);
    }

    /**
     * Reads a WHEEL file leniently, as installers do: field names of Wheel-Version and Root-Is-Purelib compared
     * without case, spaces in {@code Root-Is-Purelib: true} ignored; checking the values is the reader's business.
     */
    public static WheelFile parse(String text) {
        String version = text.lines().filter(l -> l.regionMatches(true, 0, "Wheel-Version:", 0, 14))
                .map(l -> l.substring(14).strip()).findFirst().orElse(null);
        boolean purelib = text.lines().anyMatch(l -> l.replace(" ", "").equalsIgnoreCase("Root-Is-Purelib:true"));
        List<String> tags = text.lines().filter(l -> l.startsWith("Tag:")).map(l -> l.substring(4).strip()).toList();
        return new WheelFile(version, purelib, tags);
    }
}

package io.github.pybundle.core.spec.dist;

import java.nio.charset.StandardCharsets;

/**
 * Checks a distribution file name that came from outside (an index page's anchor text or URL, a find-links listing, a
 * lock) before it is used as a file name: one path segment, printable, at most 255 bytes, and a valid wheel
 * (PEP 427) or sdist name. The build-tag and tag parts of a wheel name are free text to the wheel parser, so
 * {@code pkg-1.0-1/../../x-py3-none-any.whl} parses; this check is what keeps such a name from becoming a path.
 */
public final class DistributionFilename {
    private DistributionFilename() {
    }

    /** Why {@code filename} is not a safe distribution file name, or null when it is. */
    public static String problem(String filename) {
        if (filename == null || filename.isEmpty()) {
            return "it is empty";
        }
        if (filename.getBytes(StandardCharsets.UTF_8).length > 255) {
            return "it is longer than 255 bytes";
        }
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            if (c == '/' || c == '\\') {
                return "it contains a path separator";
            }
            if (isControl(c)) {
                return String.format("it contains the control character U+%04X", (int) c);
            }
        }
        if (filename.startsWith(".") || filename.contains(":")) {
            return "it starts with '.' or contains ':'";
        }
        return isDistribution(filename) ? null : NOT_A_DISTRIBUTION;
    }

    /** The {@link #problem} of a plain file name that is neither a wheel's nor an sdist's. */
    public static final String NOT_A_DISTRIBUTION = "it is neither a wheel nor an sdist name";

    private static boolean isDistribution(String filename) {
        try {
            if (filename.endsWith(".whl")) {
                WheelFilename.parse(filename);
            } else {
                SdistFilename.parse(filename);
            }
        } catch (InvalidFilenameException e) {
            return false;
        }
        return true;
    }

    /**
     * Returns {@code filename} when it is safe.
     *
     * @throws InvalidFilenameException naming the problem
     */
    public static String check(String filename) {
        String problem = problem(filename);
        if (problem != null) {
            throw new InvalidFilenameException(printable(filename), problem);
        }
        return filename;
    }

    /** Whether {@code c} is a control or format character, which no file or entry name pybundle writes may hold. */
    public static boolean isControl(char c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || c == '\u2028'
                || c == '\u2029';
    }

    /** {@code text} with each control character shown as a Java unicode escape (backslash, u, four hex digits). */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(isControl(c) ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }
}

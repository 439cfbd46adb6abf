package io.github.pybundle.core.wheel;

import java.util.Locale;

/** Rules for the entry names of wheels: what is safe to extract, and where it lands. */
public final class WheelEntries {
    private WheelEntries() {
    }

    /**
     * Checks that an entry stays inside the destination: no absolute, drive, UNC or backslash paths, no {@code ..} or
     * {@code .} segments, no empty segments. Segments are compared, not string prefixes.
     */
    public static String unsafeReason(String name) {
        if (name.isEmpty()) {
            return "an empty entry name";
        }
        if (name.startsWith("/") || name.contains("\\") || name.matches("^[A-Za-z]:.*")) {
            return "an absolute, drive or backslash path";
        }
        String[] parts = name.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.equals("..") || p.equals(".") || p.isEmpty() && i < parts.length - 1) {
                return "a '" + p + "' path segment";
            }
        }
        return null;
    }

    /** Whether the entry is compiled code that Python cannot import from a zip. */
    public static boolean isExtensionModule(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".so") || n.contains(".so.") || n.endsWith(".pyd") || n.endsWith(".dylib")
                || n.endsWith(".dll");
    }
}

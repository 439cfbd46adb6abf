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
        if (name.startsWith("/") || name.contains("\\") || isDrive(name)) {
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

    // "C:..." (a drive letter and a colon), without a regular expression: this runs for every entry of every wheel
    private static boolean isDrive(String name) {
        char c = name.length() >= 2 && name.charAt(1) == ':' ? name.charAt(0) : 0;
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    /**
     * The top-level name a path of site-packages (or of a zip on {@code sys.path}) claims for itself: {@code x} for a
     * module at the root ({@code x.py}) or a regular package ({@code x/__init__.py}); null for anything else, such as
     * a file of a namespace package or a {@code .dist-info} directory, which several distributions may share.
     */
    public static String ownedTopLevel(String path) {
        if (path.indexOf('/') < 0) {
            return path.endsWith(".py") && path.length() > 3 ? path.substring(0, path.length() - 3) : null;
        }
        int slash = path.indexOf('/');
        return path.substring(slash).equals("/__init__.py") && slash > 0 ? path.substring(0, slash) : null;
    }

    /** Whether the entry is compiled code that Python cannot import from a zip. */
    public static boolean isExtensionModule(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".so") || n.contains(".so.") || n.endsWith(".pyd") || n.endsWith(".dylib")
                || n.endsWith(".dll");
    }
}

package io.github.pybundle.core.spec.tags;

import java.util.ArrayList;
import java.util.List;

/** The macOS platform tags compatible with a macOS version and CPU architecture. */
final class MacPlatforms {
    private MacPlatforms() {
    }

    static List<String> tags(int major, int minor, String arch) {
        List<String> tags = new ArrayList<>();
        if (major == 10) {
            // Before macOS 11 each yearly release bumped the minor version.
            for (int mn = minor; mn >= 0; mn--) {
                add(tags, 10, mn, arch);
            }
        }
        if (major >= 11) {
            // From macOS 11 on each yearly release bumps the major version; minors are mid-year updates.
            for (int mj = major; mj > 10; mj--) {
                add(tags, mj, 0, arch);
            }
            // x86_64 binaries from 10.x still run; arm64 ones never existed there, but universal2 ones may.
            for (int mn = 16; mn > 3; mn--) {
                if (arch.equals("x86_64")) {
                    add(tags, 10, mn, arch);
                } else {
                    tags.add("macosx_10_" + mn + "_universal2");
                }
            }
        }
        return tags;
    }

    private static void add(List<String> tags, int major, int minor, String arch) {
        for (String format : binaryFormats(major, minor, arch)) {
            tags.add("macosx_" + major + "_" + minor + "_" + format);
        }
    }

    private static List<String> binaryFormats(int major, int minor, String arch) {
        boolean before104 = major < 10 || major == 10 && minor < 4;
        List<String> formats = new ArrayList<>(List.of(arch));
        switch (arch) {
            case "x86_64" -> {
                if (before104) {
                    return List.of();
                }
                formats.addAll(List.of("intel", "fat64", "fat32"));
            }
            case "i386" -> {
                if (before104) {
                    return List.of();
                }
                formats.addAll(List.of("intel", "fat32", "fat"));
            }
            case "ppc64" -> {
                if (major > 10 || major == 10 && minor > 5 || before104) {
                    return List.of();
                }
                formats.add("fat64");
            }
            case "ppc" -> {
                if (major > 10 || major == 10 && minor > 6) {
                    return List.of();
                }
                formats.addAll(List.of("fat32", "fat"));
            }
            default -> { }
        }
        if (arch.equals("arm64") || arch.equals("x86_64")) {
            formats.add("universal2");
        }
        if (List.of("x86_64", "i386", "ppc64", "ppc", "intel").contains(arch)) {
            formats.add("universal");
        }
        return formats;
    }
}

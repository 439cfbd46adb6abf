package io.github.pybundle.core.spec.tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands the platform a user names for the cluster into every platform tag a wheel may carry and still run there,
 * most specific first.
 *
 * <ul>
 *   <li>{@code manylinux_X_Y_arch} (PEP 600) runs on glibc X.Y and later: every {@code manylinux_X_Z_arch} from Z = Y
 *       down to the oldest the architecture ever had (2.5 on x86, 2.17 elsewhere), each followed by its legacy alias
 *       {@code manylinux1} (2.5), {@code manylinux2010} (2.12) or {@code manylinux2014} (2.17);</li>
 *   <li>the legacy names themselves mean the same as their glibc version;</li>
 *   <li>{@code musllinux_X_Y_arch} (PEP 656): every {@code musllinux_X_Z_arch} from Z = Y down to 0;</li>
 *   <li>{@code macosx_X_Y_arch}: the releases and binary formats the reference implementation's
 *       {@code mac_platforms} gives for that version and architecture;</li>
 *   <li>anything else (Windows, {@code linux_x86_64}) stands for itself only.</li>
 * </ul>
 *
 * <p>Unlike pip on the build host, plain {@code linux_arch} is never added for a manylinux target: such wheels are
 * built for one particular system and are not portable to a cluster.
 */
public final class PlatformTags {
    private static final Pattern MANYLINUX = Pattern.compile("manylinux_(\\d+)_(\\d+)_(.+)");
    private static final Pattern LEGACY = Pattern.compile("(manylinux1|manylinux2010|manylinux2014)_(.+)");
    private static final Pattern MUSLLINUX = Pattern.compile("musllinux_(\\d+)_(\\d+)_(.+)");
    private static final Pattern MACOSX = Pattern.compile("macosx_(\\d+)_(\\d+)_(.+)");
    private static final Map<String, int[]> LEGACY_GLIBC = Map.of(
            "manylinux1", new int[] {2, 5}, "manylinux2010", new int[] {2, 12}, "manylinux2014", new int[] {2, 17});

    private PlatformTags() {
    }

    /** The compatible platform tags for one platform, most specific first. */
    public static List<String> expand(String platform) {
        Matcher m = LEGACY.matcher(platform);
        if (m.matches()) {
            int[] glibc = LEGACY_GLIBC.get(m.group(1));
            return manylinux(glibc[0], glibc[1], m.group(2));
        }
        m = MANYLINUX.matcher(platform);
        if (m.matches()) {
            return manylinux(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
        }
        m = MUSLLINUX.matcher(platform);
        if (m.matches()) {
            List<String> tags = new ArrayList<>();
            for (int minor = Integer.parseInt(m.group(2)); minor >= 0; minor--) {
                tags.add("musllinux_" + m.group(1) + "_" + minor + "_" + m.group(3));
            }
            return tags;
        }
        m = MACOSX.matcher(platform);
        if (m.matches()) {
            return MacPlatforms.tags(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
        }
        return List.of(platform);
    }

    /** The architecture of a Linux platform tag ({@code x86_64} for {@code manylinux2014_x86_64}), or null. */
    public static String linuxArchitecture(String platform) {
        for (Pattern p : List.of(LEGACY, MANYLINUX, MUSLLINUX)) {
            Matcher m = p.matcher(platform);
            if (m.matches()) {
                return m.group(m.groupCount());
            }
        }
        return platform.startsWith("linux_") ? platform.substring("linux_".length()) : null;
    }

    // glibc is compatible across major versions (glibc 3.x would run 2.x binaries), hence the outer loop.
    private static List<String> manylinux(int major, int minor, String arch) {
        boolean x86 = arch.equals("x86_64") || arch.equals("i686");
        int oldestMinorOf2 = x86 ? 5 : 17;
        List<String> tags = new ArrayList<>();
        for (int mj = major; mj >= 2; mj--) {
            // Below the named major, assume its last release had no more than 50 minors, as the reference does.
            int fromMinor = mj == major ? minor : 50;
            int toMinor = mj == 2 ? oldestMinorOf2 : 0;
            for (int mn = fromMinor; mn >= toMinor; mn--) {
                tags.add("manylinux_" + mj + "_" + mn + "_" + arch);
                if (mj == 2) {
                    String legacy = mn == 17 ? "manylinux2014" : mn == 12 ? "manylinux2010" : mn == 5 ? "manylinux1"
                            : null;
                    if (legacy != null) {
                        tags.add(legacy + "_" + arch);
                    }
                }
            }
        }
        return tags;
    }
}

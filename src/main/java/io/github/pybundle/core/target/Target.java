package io.github.pybundle.core.target;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.spec.pep508.MarkerEnvironment;
import io.github.pybundle.core.spec.tags.PlatformTags;
import io.github.pybundle.core.spec.tags.TargetTags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The interpreter and platform of the cluster: what every resolution decision is made for, never the build host.
 *
 * @param implementation the interpreter's short name ({@code cp}, {@code pp})
 * @param major Python major version
 * @param minor Python minor version
 * @param fullVersion the full version ({@code 3.8.18}), for {@code python_full_version} markers
 * @param abis the ABIs
 * @param platforms the platforms as named by the user (expanded by the tag rules)
 * @param markers the marker environment, with the user's overrides applied
 * @param tags the compatible tags, most preferred first
 */
public record Target(String implementation, int major, int minor, String fullVersion, List<String> abis,
                     List<String> platforms, MarkerEnvironment markers, TargetTags tags) {
    private static final Pattern PYTHON_VERSION = Pattern.compile("(\\d+)\\.(\\d+)");
    private static final Pattern PLATFORM = Pattern.compile(
            "manylinux(1|2010|2014|_\\d+_\\d+)_\\w+|musllinux_\\d+_\\d+_\\w+|macosx_\\d+_\\d+_\\w+|win32|win_amd64"
                    + "|win_arm64|linux_\\w+|any");
    private static final java.util.Set<String> LINUX_ARCHS = java.util.Set.of("x86_64", "i686", "aarch64", "armv7l",
            "ppc64", "ppc64le", "s390x", "riscv64", "loongarch64");
    private static final Map<String, String> IMPLEMENTATIONS = Map.of("cp", "cpython", "pp", "pypy");

    /** The user's description, as configured in the pom ({@code <target>}). */
    public record Spec(String pythonVersion, String pythonFullVersion, String implementation, List<String> abis,
                       List<String> platforms, Map<String, String> markerEnvironment) {
    }

    /**
     * Validates and completes a target description.
     *
     * @throws InvalidConfigurationException naming the {@code <target>} element at fault
     */
    public static Target of(Spec spec) {
        if (spec.pythonVersion() == null || spec.pythonVersion().isBlank()) {
            throw new InvalidConfigurationException("target", null, "{@target.pythonVersion} is required to resolve"
                    + " dependencies: pybundle resolves for the cluster's Python, not the build machine's",
                    "add {@target.pythonVersion=3.8} with your cluster's major.minor version");
        }
        Matcher m = PYTHON_VERSION.matcher(spec.pythonVersion().strip());
        if (!m.matches()) {
            throw new InvalidConfigurationException("target", spec.pythonVersion(), "{@target.pythonVersion} must look"
                    + " like 3.8, got '" + spec.pythonVersion() + "'", "give the major.minor version only; put a full"
                    + " version such as 3.8.18 in {@pythonFullVersion}");
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        String full = spec.pythonFullVersion() == null || spec.pythonFullVersion().isBlank()
                ? major + "." + minor + ".0" : spec.pythonFullVersion().strip();
        if (!Version.isValid(full) || !full.startsWith(major + "." + minor + ".")) {
            throw new InvalidConfigurationException("target", full, "{@target.pythonFullVersion} '" + full
                    + "' is not a " + major + "." + minor + ".x version", "write e.g. " + major + "." + minor + ".18");
        }
        String impl = spec.implementation() == null || spec.implementation().isBlank() ? "cp"
                : spec.implementation().strip().toLowerCase(java.util.Locale.ROOT);
        if (!IMPLEMENTATIONS.containsKey(impl)) {
            throw new InvalidConfigurationException("target", impl, "{@target.implementation} '" + impl
                    + "' is not known", "use cp (CPython) or pp (PyPy)");
        }
        List<String> platforms = spec.platforms() == null || spec.platforms().isEmpty()
                ? List.of("manylinux2014_x86_64") : spec.platforms().stream().map(String::strip).toList();
        for (String p : platforms) {
            String arch = PlatformTags.linuxArchitecture(p);
            boolean knownArch = arch == null || LINUX_ARCHS.contains(arch)
                    && (!p.matches("manylinux(1|2010)_.*") || arch.equals("x86_64") || arch.equals("i686"));
            if (!PLATFORM.matcher(p).matches() || !knownArch) {
                throw new InvalidConfigurationException("target", p, "{@target.platforms} entry '" + p
                        + "' is not a platform tag", "use e.g. manylinux2014_x86_64, manylinux_2_28_aarch64,"
                        + " musllinux_1_2_x86_64");
            }
        }
        List<String> abis = spec.abis() == null || spec.abis().isEmpty()
                ? TargetTags.defaultAbis(impl, major, minor, platforms) : spec.abis();
        String machine = machine(platforms.get(0));
        MarkerEnvironment env = MarkerEnvironment.linuxCPython(full, machine);
        if (!impl.equals("cp")) {
            env = env.with("implementation_name", IMPLEMENTATIONS.get(impl))
                    .with("platform_python_implementation", "PyPy");
        }
        if (platforms.get(0).startsWith("macosx")) {
            env = env.with("sys_platform", "darwin").with("platform_system", "Darwin");
        } else if (platforms.get(0).startsWith("win")) {
            env = env.with("sys_platform", "win32").with("platform_system", "Windows").with("os_name", "nt");
        }
        if (spec.markerEnvironment() != null) {
            for (Map.Entry<String, String> e : spec.markerEnvironment().entrySet()) {
                if (!MarkerEnvironment.VARIABLES.contains(e.getKey())) {
                    throw new InvalidConfigurationException("target", e.getKey(), "{@target.markerEnvironment} has"
                            + " no variable '" + e.getKey() + "'", "known variables: " + MarkerEnvironment.VARIABLES);
                }
                env = env.with(e.getKey(), e.getValue());
            }
        }
        return new Target(impl, major, minor, full, List.copyOf(abis), List.copyOf(platforms), env,
                TargetTags.of(impl, major, minor, abis, platforms));
    }

    private static String machine(String platform) {
        String arch = PlatformTags.linuxArchitecture(platform);
        if (arch != null) {
            return arch;
        }
        if (platform.startsWith("macosx")) {
            return platform.endsWith("arm64") ? "arm64" : "x86_64";
        }
        return platform.equals("win32") ? "x86" : platform.equals("win_arm64") ? "ARM64" : "AMD64";
    }

    /** The full version as a PEP 440 version, for Requires-Python checks. */
    public Version pythonVersion() {
        return Version.parse(fullVersion);
    }

    /** e.g. {@code cp38 / manylinux2014_x86_64}, for messages. */
    public String describe() {
        return implementation + major + minor + " / " + String.join(", ", platforms);
    }

    /** The marker that says where a lock applies (PEP 751 {@code environments}). */
    public String environmentMarker() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("python_version", markers.get("python_version"));
        m.put("implementation_name", markers.get("implementation_name"));
        m.put("sys_platform", markers.get("sys_platform"));
        m.put("platform_machine", markers.get("platform_machine"));
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + " == \"" + v + "\""));
        return String.join(" and ", parts);
    }
}

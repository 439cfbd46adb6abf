package io.github.pybundle.core.spec.pep508;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The values marker variables take on a target interpreter. pybundle fills them from the target the user describes
 * (or the cluster's probe), never from the build host.
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/dependency-specifiers/#environment-markers">Environment markers</a>
 */
public final class MarkerEnvironment {
    /** Every marker variable, by its canonical name ({@code extra} is given per evaluation). */
    public static final List<String> VARIABLES = List.of("implementation_name", "implementation_version", "os_name",
            "platform_machine", "platform_python_implementation", "platform_release", "platform_system",
            "platform_version", "python_full_version", "python_version", "sys_platform");

    private final Map<String, String> values;

    private MarkerEnvironment(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * An environment from explicit values.
     *
     * @throws IllegalArgumentException when a name is not a marker variable or a variable is missing
     */
    public static MarkerEnvironment of(Map<String, String> values) {
        for (String key : values.keySet()) {
            if (!VARIABLES.contains(key)) {
                throw new IllegalArgumentException("'" + key + "' is not a marker variable; known: " + VARIABLES);
            }
        }
        for (String v : VARIABLES) {
            if (!values.containsKey(v)) {
                throw new IllegalArgumentException("marker variable '" + v + "' has no value");
            }
        }
        return new MarkerEnvironment(values);
    }

    /**
     * The environment of a CPython interpreter on Linux.
     *
     * @param pythonFullVersion e.g. {@code 3.8.18}
     * @param machine e.g. {@code x86_64} or {@code aarch64}
     */
    public static MarkerEnvironment linuxCPython(String pythonFullVersion, String machine) {
        String[] parts = pythonFullVersion.split("\\.");
        Map<String, String> m = new LinkedHashMap<>();
        m.put("implementation_name", "cpython");
        m.put("implementation_version", pythonFullVersion);
        m.put("os_name", "posix");
        m.put("platform_machine", machine);
        m.put("platform_python_implementation", "CPython");
        m.put("platform_release", "");
        m.put("platform_system", "Linux");
        m.put("platform_version", "");
        m.put("python_full_version", pythonFullVersion);
        m.put("python_version", parts[0] + "." + parts[1]);
        m.put("sys_platform", "linux");
        return of(m);
    }

    /** This environment with one variable changed. */
    public MarkerEnvironment with(String variable, String value) {
        Map<String, String> m = new LinkedHashMap<>(values);
        if (!VARIABLES.contains(variable)) {
            throw new IllegalArgumentException("'" + variable + "' is not a marker variable; known: " + VARIABLES);
        }
        m.put(variable, value);
        return new MarkerEnvironment(m);
    }

    /** The value of a variable (canonical name). */
    public String get(String variable) {
        String v = values.get(variable);
        if (v == null) {
            throw new IllegalArgumentException("'" + variable + "' is not a marker variable");
        }
        // A Python built from an untagged checkout reports e.g. "3.13.0+"; make it a valid local version.
        if (variable.equals("python_full_version") && v.endsWith("+")) {
            return v + "local";
        }
        return v;
    }

    /** All values, by canonical name. */
    public Map<String, String> asMap() {
        return values;
    }

    /** The canonical name of a variable as written in a marker: legacy dotted names map to underscores. */
    static String canonicalVariable(String written) {
        String v = written.replace('.', '_');
        return v.equals("python_implementation") ? "platform_python_implementation" : v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MarkerEnvironment && ((MarkerEnvironment) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return new java.util.TreeMap<>(values).toString();
    }
}

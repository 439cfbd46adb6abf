package io.github.pybundle.core.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The index settings of the machine's pip configuration, so that pybundle uses the same mirror as pip by default:
 * configuration files (global, then user, then site, then {@code PIP_CONFIG_FILE}; {@code [global]} then
 * {@code [install]}), overridden by {@code PIP_*} environment variables, as pip resolves them.
 *
 * @param indexUrl {@code index-url}, or null
 * @param extraIndexUrls {@code extra-index-url} values
 * @param findLinks {@code find-links} values
 * @param noIndex {@code no-index}
 * @param cert {@code cert}: a PEM bundle of trusted CAs, or null
 * @param timeoutSeconds {@code timeout}/{@code default-timeout}, or -1
 * @param files the configuration files that were read, for messages
 * @see <a href="https://pip.pypa.io/en/stable/topics/configuration/">pip configuration</a>
 */
public record PipConfiguration(String indexUrl, List<String> extraIndexUrls, List<String> findLinks, boolean noIndex,
                               String cert, int timeoutSeconds, List<Path> files) {
    /** Reads the configuration pip would use on this machine. */
    public static PipConfiguration load(Map<String, String> env, String userHome) throws IOException {
        List<Path> candidates = new ArrayList<>();
        String pipConfigFile = env.get("PIP_CONFIG_FILE");
        if ("/dev/null".equals(pipConfigFile)) { // pip: PIP_CONFIG_FILE=os.devnull loads no configuration file
            return fromValues(new LinkedHashMap<>(), env, List.of());
        }
        String xdgDirs = env.getOrDefault("XDG_CONFIG_DIRS", "/etc/xdg");
        for (String d : xdgDirs.split(":")) {
            if (!d.isBlank()) {
                candidates.add(Path.of(d, "pip", "pip.conf"));
            }
        }
        candidates.add(Path.of("/etc/pip.conf"));
        boolean envFileExists = pipConfigFile != null && Files.isRegularFile(Path.of(pipConfigFile));
        if (!envFileExists) { // pip skips the user files when PIP_CONFIG_FILE names an existing file
            candidates.add(Path.of(userHome, ".pip", "pip.conf"));
            String xdgHome = env.get("XDG_CONFIG_HOME");
            candidates.add((xdgHome != null && !xdgHome.isBlank() ? Path.of(xdgHome) : Path.of(userHome, ".config"))
                    .resolve("pip").resolve("pip.conf"));
        }
        if (env.get("VIRTUAL_ENV") != null) {
            candidates.add(Path.of(env.get("VIRTUAL_ENV"), "pip.conf"));
        }
        if (envFileExists) {
            candidates.add(Path.of(pipConfigFile));
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<Path> read = new ArrayList<>();
        for (Path f : candidates) {
            if (Files.isRegularFile(f)) {
                Map<String, Map<String, String>> ini = ini(Files.readString(f, StandardCharsets.UTF_8));
                values.putAll(ini.getOrDefault("global", Map.of()));
                values.putAll(ini.getOrDefault("install", Map.of()));
                read.add(f);
            }
        }
        return fromValues(values, env, read);
    }

    // The files' values, overridden by PIP_* environment variables.
    private static PipConfiguration fromValues(Map<String, String> values, Map<String, String> env, List<Path> read) {
        env.forEach((k, v) -> {
            if (k.startsWith("PIP_") && v != null) {
                values.put(k.substring(4).toLowerCase(Locale.ROOT).replace('_', '-'), v);
            }
        });
        String timeout = values.getOrDefault("timeout", values.get("default-timeout"));
        int seconds = -1;
        try {
            seconds = timeout == null ? -1 : (int) Double.parseDouble(timeout.trim());
        } catch (NumberFormatException ignored) {
            // pip would reject it; we keep our default
        }
        return new PipConfiguration(blankToNull(values.get("index-url")), words(values.get("extra-index-url")),
                words(values.get("find-links")), truthy(values.get("no-index")), blankToNull(values.get("cert")),
                seconds, read);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        if (s != null) {
            for (String w : s.strip().split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    private static boolean truthy(String s) {
        return s != null && List.of("1", "true", "yes", "on").contains(s.strip().toLowerCase(Locale.ROOT));
    }

    // INI as Python's configparser reads pip.conf: sections, key = value or key: value, indented continuation lines,
    // whole-line comments starting with '#' or ';'.
    static Map<String, Map<String, String>> ini(String text) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> section = null;
        String lastKey = null;
        for (String line : text.split("\r\n|\n|\r")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                continue;
            }
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && section != null && lastKey != null) {
                section.put(lastKey, section.get(lastKey) + "\n" + trimmed);
                continue;
            }
            if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                section = out.computeIfAbsent(trimmed.substring(1, trimmed.length() - 1).strip().toLowerCase(
                        Locale.ROOT), k -> new LinkedHashMap<>());
                lastKey = null;
                continue;
            }
            int eq = indexOfSeparator(trimmed);
            if (section != null && eq > 0) {
                lastKey = trimmed.substring(0, eq).strip().toLowerCase(Locale.ROOT).replace('_', '-');
                section.put(lastKey, trimmed.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static int indexOfSeparator(String s) {
        int eq = s.indexOf('=');
        int colon = s.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }
}

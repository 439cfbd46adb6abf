package io.github.pybundle.maven;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words the core's neutral setting references in pom terms, in one place (as jib's {@code MavenHelpfulSuggestions}
 * words its common layer's suggestions). The core writes {@code {@target.pythonVersion}} for a setting,
 * {@code {@allowSourceBuilds=true}} for a setting with a value (values may hold further references), and
 * {@code {#updateLock}} for a user property, {@code {!lock}} for running a goal (or {@code {!package}} a phase), {@code {%settings}} and
 * {@code {%project}} for the user's settings file and the project's build file; here they become
 * {@code <target><pythonVersion>}, {@code <allowSourceBuilds>true</allowSourceBuilds>},
 * {@code -Dpybundle.updateLock}, {@code mvn pybundle:lock}, {@code settings.xml} and {@code the pom}.
 */
public final class PomWords {
    // Innermost first: a value holds no braces.
    private static final Pattern SETTING = Pattern.compile("\\{@([A-Za-z][\\w.]*)(?:=([^{}]*))?\\}");
    private static final Pattern PROPERTY = Pattern.compile("\\{#([A-Za-z][\\w.]*)\\}");
    private static final Pattern GOAL = Pattern.compile("\\{!([a-z]+)\\}");
    private static final Pattern TERM = Pattern.compile("\\{%(settings|project)\\}");

    // Only the words the core uses are rendered: text from elsewhere (a Python traceback's "{!r}", pip's output) that
    // happens to look like a reference passes unchanged. PomWordsTest checks that every reference in the core is here.
    static final Set<String> ELEMENTS = Set.of("allowInsecureIndex", "allowSourceBuilds", "archiveFormat",
            "constraints", "credentialsFor", "dependencyGroups", "distributionName", "distributionVersion",
            "downloadDeadline", "excludes", "execInterpreter", "extras", "findLinks", "id", "index", "indexes", "indexPins", "indexUrl",
            "layout", "mainScript", "markerEnvironment", "maxInflatedBundleSize", "maxInflatedWheelSize", "models",
            "provided",
            "proxies", "pyproject", "pythonFullVersion", "pythonSourceDirectory", "requireHashes", "requirements",
            "requirementsFiles", "server", "spark", "target", "url", "verify", "verifyInterpreter");
    static final Set<String> PROPERTIES = Set.of("exec.args", "list.files", "offline", "profile", "refresh", "updateLock",
            "upload.always", "verify.strict");
    static final Set<String> GOALS = Set.of("bundle", "exec", "list", "lock", "package", "probe", "profiles", "tree", "upload",
            "verify", "wheel");
    // Lifecycle phases among them: run as mvn <phase>, not as a goal of the plugin.
    private static final Set<String> PHASES = Set.of("package", "verify");

    private PomWords() {
    }

    /** {@code text} with every setting and property reference in pom terms; null stays null. */
    public static String render(String text) {
        if (text == null || text.indexOf('{') < 0) {
            return text;
        }
        String out = text;
        for (String before = null; !out.equals(before); ) {
            before = out;
            out = SETTING.matcher(out).replaceAll(m -> Matcher.quoteReplacement(ELEMENTS.contains(
                    m.group(1).split("\\.")[0]) ? element(m.group(1), m.group(2)) : m.group()));
        }
        out = PROPERTY.matcher(out).replaceAll(m -> Matcher.quoteReplacement(PROPERTIES.contains(m.group(1))
                ? "-Dpybundle." + m.group(1) : m.group()));
        // Build-tool words: a goal's command, the user's settings file, the project's build file.
        out = GOAL.matcher(out).replaceAll(m -> Matcher.quoteReplacement(!GOALS.contains(m.group(1)) ? m.group()
                : PHASES.contains(m.group(1)) ? "mvn " + m.group(1) : "mvn pybundle:" + m.group(1)));
        return TERM.matcher(out).replaceAll(m -> m.group(1).equals("settings") ? "settings.xml" : "the pom");
    }

    /** {@code <a><b>} for {@code a.b}; {@code <a><b>v</b></a>} with a value. */
    static String element(String path, String value) {
        String[] names = path.split("\\.");
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append('<').append(n).append('>');
        }
        if (value != null) {
            sb.append(value);
            for (int i = names.length - 1; i >= 0; i--) {
                sb.append("</").append(names[i]).append('>');
            }
        }
        return sb.toString();
    }
}

package io.github.pybundle.maven;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words the core's neutral setting references in pom terms, in one place (as jib's {@code MavenHelpfulSuggestions}
 * words its common layer's suggestions). The core writes {@code {@target.pythonVersion}} for a setting,
 * {@code {@allowSourceBuilds=true}} for a setting with a value (values may hold further references), and
 * {@code {#updateLock}} for a user property; here they become {@code <target><pythonVersion>},
 * {@code <allowSourceBuilds>true</allowSourceBuilds>} and {@code -Dpybundle.updateLock}.
 */
public final class PomWords {
    // Innermost first: a value holds no braces.
    private static final Pattern SETTING = Pattern.compile("\\{@([A-Za-z][\\w.]*)(?:=([^{}]*))?\\}");
    private static final Pattern PROPERTY = Pattern.compile("\\{#([A-Za-z][\\w.]*)\\}");

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
            out = SETTING.matcher(out).replaceAll(m -> Matcher.quoteReplacement(element(m.group(1), m.group(2))));
        }
        return PROPERTY.matcher(out).replaceAll(m -> Matcher.quoteReplacement("-Dpybundle." + m.group(1)));
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

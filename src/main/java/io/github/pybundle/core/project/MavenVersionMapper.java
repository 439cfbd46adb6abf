package io.github.pybundle.core.project;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.spec.pep440.Version;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a Maven project version to the PEP 440 version of the wheel built from it.
 *
 * <p>Maven and PEP 440 order pre-releases the same way for the qualifiers both know: {@code alpha < beta < rc <
 * release < post}. The mapping is therefore total for those and rejects the rest (milestones, arbitrary qualifiers)
 * rather than inventing an order:
 *
 * <pre>
 *   1.2.0-SNAPSHOT       → 1.2.0.dev0       (a snapshot is the development state before the release)
 *   1.0-beta-2           → 1.0b2
 *   2.1-rc1, 2.1-CR1     → 2.1rc1
 *   1.0-alpha            → 1.0a0
 *   1.0-1, 1.0-sp-1      → 1.0.post1        (Maven build number / service pack: after the release)
 *   1.0-final, 1.0.GA    → 1.0
 *   1.0-beta-2-SNAPSHOT  → 1.0b2.dev0
 * </pre>
 */
public final class MavenVersionMapper {
    private static final Pattern MAVEN = Pattern.compile(
            "(?<release>[0-9]+(?:\\.[0-9]+)*)"
                    + "(?:[-.]?(?<pre>alpha|beta|a|b|rc|cr)(?:[-.]?(?<preN>[0-9]+))?)?"
                    + "(?:[-.](?:final|ga|release))?"
                    + "(?:[-.]?(?<postL>sp|post)(?:[-.]?(?<postN>[0-9]+))?|-(?<build>[0-9]+))?"
                    + "(?:[-.]?(?<devL>dev)(?:[-.]?(?<devN>[0-9]+))?)?"
                    + "(?<snapshot>-snapshot)?");

    private MavenVersionMapper() {
    }

    /**
     * Returns the PEP 440 version for a Maven version.
     *
     * @throws InvalidConfigurationException (setting {@code version}) when the version has a qualifier PEP 440 cannot
     *     express
     */
    public static Version toPep440(String mavenVersion) {
        Matcher m = MAVEN.matcher(mavenVersion.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw unmappable(mavenVersion);
        }
        StringBuilder sb = new StringBuilder(m.group("release"));
        if (m.group("pre") != null) {
            String label = m.group("pre");
            String phase = label.startsWith("a") ? "a" : label.startsWith("b") ? "b" : "rc";
            sb.append(phase).append(m.group("preN") == null ? "0" : m.group("preN"));
        }
        if (m.group("postL") != null) {
            sb.append(".post").append(m.group("postN") == null ? "0" : m.group("postN"));
        } else if (m.group("build") != null) {
            sb.append(".post").append(m.group("build"));
        }
        if (m.group("devL") != null) {
            sb.append(".dev").append(m.group("devN") == null ? "0" : m.group("devN"));
        } else if (m.group("snapshot") != null) {
            sb.append(".dev0");
        }
        return Version.parse(sb.toString());
    }

    private static InvalidConfigurationException unmappable(String mavenVersion) {
        return new InvalidConfigurationException("version", mavenVersion,
                "the Maven version '" + mavenVersion + "' cannot be mapped to a PEP 440 version",
                "use a version such as 1.2.0, 1.2.0-SNAPSHOT, 1.0-alpha-1, 1.0-beta-2, 2.1-rc1 or 1.0-1",
                "or set {@distributionVersion} to the PEP 440 version the wheel should carry (e.g. 1.0b3)");
    }
}

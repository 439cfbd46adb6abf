package io.github.pybundle.core.sbom;

import io.github.pybundle.core.spec.name.ProjectName;
import java.nio.charset.StandardCharsets;

/**
 * Package URLs ({@code pkg:type/namespace/name@version}), as CycloneDX components carry them.
 *
 * @see <a href="https://github.com/package-url/purl-spec">purl specification</a>
 */
public final class Purl {
    private Purl() {
    }

    /** {@code pkg:pypi/<PEP 503 normalised name>@<version>}. */
    public static String pypi(String name, String version) {
        return "pkg:pypi/" + encode(ProjectName.normalize(name)) + at(version);
    }

    /** {@code pkg:maven/<groupId>/<artifactId>@<version>}. */
    public static String maven(String groupId, String artifactId, String version) {
        return "pkg:maven/" + encode(groupId) + "/" + encode(artifactId) + at(version);
    }

    /** {@code pkg:generic/<name>@<version>}, for what no package type covers. */
    public static String generic(String name, String version) {
        return "pkg:generic/" + encode(name) + at(version);
    }

    private static String at(String version) {
        return version == null || version.isEmpty() ? "" : "@" + encode(version);
    }

    /** Percent-encodes every byte of the UTF-8 form except ASCII letters, digits and {@code . - _ ~}. */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                    || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}

package io.github.pybundle.core.spec.dist;

import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.InvalidVersionException;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.spec.tags.Tag;
import java.math.BigInteger;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a wheel file name: {@code {name}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl},
 * where each tag part may be a compressed set ({@code py2.py3}).
 *
 * @param filename the file name as given
 * @param name the normalised project name
 * @param version the version
 * @param buildNumber the build tag's leading number, or null when there is no build tag
 * @param buildSuffix the rest of the build tag, or empty
 * @param tags the expanded tag set
 * @see <a href="https://packaging.python.org/en/latest/specifications/binary-distribution-format/#file-name-convention">File name convention</a>
 */
public record WheelFilename(String filename, String name, Version version, BigInteger buildNumber, String buildSuffix,
                            Set<Tag> tags) {
    // The escaped name: word characters and dots, as the reference implementation checks (Unicode letters included).
    private static final Pattern NAME = Pattern.compile("[\\w.]*", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern BUILD = Pattern.compile("(\\d+)(.*)", Pattern.DOTALL);
    // A large project's page lists thousands of wheels with a few dozen distinct versions and tag sets, and one
    // name: each distinct part is parsed (and checked) once per JVM. Bounded, since the names come from outside.
    private static final int REMEMBERED = 4096;
    private static final Map<String, String> NAMES = new ConcurrentHashMap<>();
    private static final Map<String, Version> VERSIONS = new ConcurrentHashMap<>();
    private static final Map<String, Set<Tag>> TAGS = new ConcurrentHashMap<>();

    /**
     * Parses a wheel file name.
     *
     * @throws InvalidFilenameException when the name does not follow the convention
     */
    public static WheelFilename parse(String filename) {
        if (!filename.endsWith(".whl")) {
            throw new InvalidFilenameException(filename, "it does not end in .whl");
        }
        String stem = filename.substring(0, filename.length() - 4);
        long dashes = stem.chars().filter(c -> c == '-').count();
        if (dashes != 4 && dashes != 5) {
            throw new InvalidFilenameException(filename, "it needs 4 or 5 dashes, not " + dashes);
        }
        String[] parts = stem.split("-", (int) dashes - 1);
        String namePart = parts[0];
        String name = NAMES.get(namePart);
        if (name == null) {
            if (namePart.contains("__") || !NAME.matcher(namePart).matches()) {
                throw new InvalidFilenameException(filename, "'" + namePart + "' is not an escaped project name");
            }
            name = remember(NAMES, namePart, ProjectName.normalize(namePart));
        }
        Version version;
        try {
            Version known = VERSIONS.get(parts[1]);
            version = known != null ? known : remember(VERSIONS, parts[1], Version.parse(parts[1]));
        } catch (InvalidVersionException e) {
            throw new InvalidFilenameException(filename, "'" + parts[1] + "' is not a PEP 440 version");
        }
        BigInteger buildNumber = null;
        String buildSuffix = "";
        if (dashes == 5) {
            Matcher m = BUILD.matcher(parts[2]);
            if (!m.matches()) {
                throw new InvalidFilenameException(filename, "the build tag '" + parts[2] + "' does not start with a digit");
            }
            buildNumber = new BigInteger(m.group(1));
            buildSuffix = m.group(2);
        }
        Set<Tag> tags = TAGS.get(parts[parts.length - 1]);
        if (tags == null) {
            try {
                tags = remember(TAGS, parts[parts.length - 1], Collections.unmodifiableSet(Tag.parseSet(
                        parts[parts.length - 1])));
            } catch (IllegalArgumentException e) {
                throw new InvalidFilenameException(filename, e.getMessage());
            }
        }
        return new WheelFilename(filename, name, version, buildNumber, buildSuffix, tags);
    }

    private static <V> V remember(Map<String, V> parsed, String text, V value) {
        if (parsed.size() >= REMEMBERED) {
            parsed.clear();
        }
        parsed.put(text, value);
        return value;
    }

    /** Whether the file name has a build tag. */
    public boolean hasBuildTag() {
        return buildNumber != null;
    }
}

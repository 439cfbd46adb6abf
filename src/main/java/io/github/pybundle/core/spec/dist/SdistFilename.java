package io.github.pybundle.core.spec.dist;

import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.InvalidVersionException;
import io.github.pybundle.core.spec.pep440.Version;

/**
 * The parts of a source distribution file name, {@code {name}-{version}.tar.gz} (or the legacy {@code .zip}). A
 * PEP 440 version has no dash, so the name is everything before the last one.
 *
 * @param filename the file name as given
 * @param name the normalised project name
 * @param version the version
 * @see <a href="https://packaging.python.org/en/latest/specifications/source-distribution-format/">Source distribution format</a>
 */
public record SdistFilename(String filename, String name, Version version) {
    /**
     * Parses an sdist file name.
     *
     * @throws InvalidFilenameException when the name does not follow the convention
     */
    public static SdistFilename parse(String filename) {
        String stem;
        if (filename.endsWith(".tar.gz")) {
            stem = filename.substring(0, filename.length() - ".tar.gz".length());
        } else if (filename.endsWith(".zip")) {
            stem = filename.substring(0, filename.length() - ".zip".length());
        } else {
            throw new InvalidFilenameException(filename, "it ends in neither .tar.gz nor .zip");
        }
        int dash = stem.lastIndexOf('-');
        if (dash < 0) {
            throw new InvalidFilenameException(filename, "it has no dash between name and version");
        }
        try {
            return new SdistFilename(filename, ProjectName.normalize(stem.substring(0, dash)),
                    Version.parse(stem.substring(dash + 1)));
        } catch (InvalidVersionException e) {
            throw new InvalidFilenameException(filename, "'" + stem.substring(dash + 1) + "' is not a PEP 440 version");
        }
    }
}

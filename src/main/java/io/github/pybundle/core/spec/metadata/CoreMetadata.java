package io.github.pybundle.core.spec.metadata;

import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.Version;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The core metadata pybundle writes for the project's own wheel ({@code METADATA}, version 2.1).
 *
 * @param name the distribution name, as the user wrote it
 * @param version the PEP 440 version
 * @param summary one line describing the project, or null
 * @param license the license name, or null
 * @param homePage the project URL, or null
 * @param requiresPython a PEP 440 specifier set for the target interpreter, or null
 * @param providesExtra the extras the distribution offers (normalised)
 * @param requiresDist the dependencies, in canonical PEP 508 form
 * @see <a href="https://packaging.python.org/en/latest/specifications/core-metadata/">Core metadata</a>
 */
public record CoreMetadata(ProjectName name, Version version, String summary, String license, String homePage,
                           String requiresPython, List<String> providesExtra, List<String> requiresDist) {
    public CoreMetadata {
        providesExtra = List.copyOf(providesExtra);
        requiresDist = List.copyOf(requiresDist);
    }

    /** The metadata version written; 2.1 is read by every pip still in use on clusters (pip 9+). */
    public static final String METADATA_VERSION = "2.1";

    /** Renders the METADATA file: RFC 822 style headers, UTF-8, one field per line. */
    public byte[] toBytes() {
        List<String> lines = new ArrayList<>();
        lines.add("Metadata-Version: " + METADATA_VERSION);
        lines.add("Name: " + name.original());
        lines.add("Version: " + version);
        addSingleLine(lines, "Summary", summary);
        addSingleLine(lines, "Home-page", homePage);
        addSingleLine(lines, "License", license);
        addSingleLine(lines, "Requires-Python", requiresPython);
        providesExtra.forEach(e -> addSingleLine(lines, "Provides-Extra", e));
        requiresDist.forEach(r -> addSingleLine(lines, "Requires-Dist", r));
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    // A header value must not span lines; a multi-line description collapses to one line.
    private static void addSingleLine(List<String> lines, String field, String value) {
        if (value != null) {
            String oneLine = value.strip().replaceAll("\\s+", " ");
            if (!oneLine.isEmpty()) {
                lines.add(field + ": " + oneLine);
            }
        }
    }
}

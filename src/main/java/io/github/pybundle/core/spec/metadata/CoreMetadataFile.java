package io.github.pybundle.core.spec.metadata;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.InvalidSpecifierException;
import io.github.pybundle.core.spec.pep440.InvalidVersionException;
import io.github.pybundle.core.spec.pep440.SpecifierSet;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.spec.pep508.Requirement;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Core metadata as read from a {@code METADATA} or {@code PKG-INFO} file, metadata versions 1.0 to 2.4: RFC 822 style
 * headers (field names case-insensitive, continuation lines folded), multiple-use fields kept in order, and the
 * description in the message body (2.1+) or the {@code Description} field.
 *
 * <p>Name and Version must be present and valid. {@code Requires-Dist} entries must be valid PEP 508 requirements.
 * An unparsable {@code Requires-Python} is kept as text and reported by {@link #problems()} rather than failing, as
 * installers do, because old releases on public indexes carry values such as {@code >=3.6.*}.
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/core-metadata/">Core metadata specifications</a>
 */
public final class CoreMetadataFile {
    private final Map<String, List<String>> fields; // lower-case name -> values in order
    private final String body;
    private final String name;
    private final Version version;
    private final List<Requirement> requiresDist;
    private final SpecifierSet requiresPython;
    private final List<String> problems;

    private CoreMetadataFile(Map<String, List<String>> fields, String body, String name, Version version,
                             List<Requirement> requiresDist, SpecifierSet requiresPython, List<String> problems) {
        this.fields = fields;
        this.body = body;
        this.name = name;
        this.version = version;
        this.requiresDist = List.copyOf(requiresDist);
        this.requiresPython = requiresPython;
        this.problems = List.copyOf(problems);
    }

    /**
     * Parses core metadata.
     *
     * @param content the file's bytes (UTF-8; Latin-1 is accepted for metadata older than 2.1)
     * @param source where it came from, for messages (e.g. {@code numpy-1.24.4-...whl!numpy-1.24.4.dist-info/METADATA})
     * @throws InvalidMetadataException when Name or Version is missing or invalid, or a Requires-Dist is malformed
     */
    public static CoreMetadataFile parse(byte[] content, String source) {
        String text = decode(content, source);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        List<Integer> requiresDistLines = new ArrayList<>();
        String[] lines = text.split("\r\n|\n|\r", -1);
        String current = null;
        int i = 0;
        for (; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                i++;
                break; // the body starts after the first empty line
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                List<String> values = fields.get(current);
                int last = values.size() - 1;
                values.set(last, values.get(last) + "\n" + line); // unfold later, per field
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new InvalidMetadataException(source, i + 1, "'" + line + "' is not a 'Field: value' line");
            }
            current = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            fields.computeIfAbsent(current, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
            firstLine.putIfAbsent(current, i + 1);
            if (current.equals("requires-dist")) {
                requiresDistLines.add(i + 1);
            }
        }
        StringBuilder body = new StringBuilder();
        for (int b = i; b < lines.length; b++) {
            body.append(lines[b]).append(b + 1 < lines.length ? "\n" : "");
        }
        List<String> problems = new ArrayList<>();
        String name = single(fields, "name", source);
        if (!ProjectName.isValid(name)) {
            throw new InvalidMetadataException(source, firstLine.get("name"), "Name '" + name + "' is not valid");
        }
        String versionText = single(fields, "version", source);
        Version version;
        try {
            version = Version.parse(versionText);
        } catch (InvalidVersionException e) {
            throw new InvalidMetadataException(source, firstLine.get("version"),
                    "Version '" + versionText + "' is not a PEP 440 version");
        }
        List<Requirement> requires = new ArrayList<>();
        List<String> rd = fields.getOrDefault("requires-dist", List.of());
        for (int k = 0; k < rd.size(); k++) {
            String value = unfold(rd.get(k));
            try {
                requires.add(Requirement.parse(value));
            } catch (PyBundleException e) {
                throw new InvalidMetadataException(source, requiresDistLines.get(k),
                        "Requires-Dist '" + value + "' is not a valid requirement: " + e.getMessage());
            }
        }
        SpecifierSet requiresPython = null;
        List<String> rp = fields.get("requires-python");
        if (rp != null) {
            String value = unfold(rp.get(0));
            try {
                requiresPython = SpecifierSet.parse(value);
            } catch (InvalidSpecifierException e) {
                problems.add("Requires-Python '" + value + "' is not a valid specifier and is ignored");
            }
        }
        return new CoreMetadataFile(fields, body.toString(), name, version, requires, requiresPython, problems);
    }

    private static String decode(byte[] content, String source) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            String latin1 = new String(content, StandardCharsets.ISO_8859_1);
            if (latin1.startsWith("Metadata-Version: 1.")) {
                return latin1; // metadata before 2.1 did not require UTF-8
            }
            throw new InvalidMetadataException(source, 0, "the file is not valid UTF-8");
        }
    }

    private static String single(Map<String, List<String>> fields, String field, String source) {
        List<String> values = fields.get(field);
        if (values == null || values.get(0).isBlank()) {
            throw new InvalidMetadataException(source, 0, "the required field " + capitalise(field) + " is missing");
        }
        return unfold(values.get(0));
    }

    private static String capitalise(String field) {
        StringBuilder sb = new StringBuilder();
        for (String part : field.split("-")) {
            sb.append(sb.length() > 0 ? "-" : "").append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }

    // RFC 5322 unfolding: a line break followed by white space continues the value.
    private static String unfold(String value) {
        return value.replace("\n", "");
    }

    /** The Metadata-Version field, or {@code 1.0} when absent. */
    public String metadataVersion() {
        List<String> v = fields.get("metadata-version");
        return v == null ? "1.0" : v.get(0);
    }

    /** The distribution name as written. */
    public String name() {
        return name;
    }

    /** The version. */
    public Version version() {
        return version;
    }

    /** The dependencies, in order. */
    public List<Requirement> requiresDist() {
        return requiresDist;
    }

    /** The supported Python versions, or null when not stated (or unparsable; see {@link #problems()}). */
    public SpecifierSet requiresPython() {
        return requiresPython;
    }

    /** The extras the distribution declares, normalised (PEP 685). */
    public List<String> providesExtra() {
        List<String> out = new ArrayList<>();
        fields.getOrDefault("provides-extra", List.of()).forEach(e -> out.add(ProjectName.normalize(unfold(e))));
        return out;
    }

    /** The one-line summary, or null. */
    public String summary() {
        List<String> v = fields.get("summary");
        return v == null ? null : unfold(v.get(0));
    }

    /** The long description: the message body, else the Description field with its continuation margin removed. */
    public String description() {
        if (!body.isBlank()) {
            return body;
        }
        List<String> v = fields.get("description");
        return v == null ? null : withoutMargin(v.get(0));
    }

    // A multi-line field keeps its line breaks; the continuation margin (white space, or 7-8 spaces and '|') goes.
    private static String withoutMargin(String folded) {
        StringBuilder sb = new StringBuilder();
        for (String line : folded.split("\n", -1)) {
            String l = line.replaceFirst("^ {7,8}\\|", "").replaceFirst("^\\s+", "");
            sb.append(sb.length() > 0 ? "\n" : "").append(l);
        }
        return sb.toString();
    }

    /**
     * The {@code License-Expression} field (PEP 639, metadata 2.4): an SPDX license expression such as
     * {@code MIT OR Apache-2.0}, or null when absent or blank.
     */
    public String licenseExpression() {
        List<String> v = fields.get("license-expression");
        return v == null || v.get(0).isBlank() ? null : unfold(v.get(0)).strip();
    }

    /**
     * The {@code License} field: free text, a short name ({@code BSD}) or the whole licence on several lines (line
     * breaks kept, continuation margins removed), or null when absent or blank. Deprecated by PEP 639 in favour of
     * {@link #licenseExpression()}.
     */
    public String license() {
        List<String> v = fields.get("license");
        return v == null || v.get(0).isBlank() ? null : withoutMargin(v.get(0)).strip();
    }

    /** The {@code Classifier} values (Trove classifiers such as {@code License :: OSI Approved :: MIT License}). */
    public List<String> classifiers() {
        return all("classifier");
    }

    /** Every value of a field (case-insensitive name), unfolded; empty when absent. */
    public List<String> all(String field) {
        List<String> out = new ArrayList<>();
        fields.getOrDefault(field.toLowerCase(Locale.ROOT), List.of()).forEach(v -> out.add(unfold(v)));
        return Collections.unmodifiableList(out);
    }

    /** Values that were ignored because they are malformed, as messages. */
    public List<String> problems() {
        return problems;
    }
}

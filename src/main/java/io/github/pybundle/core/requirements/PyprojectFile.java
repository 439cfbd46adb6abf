package io.github.pybundle.core.requirements;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.InvalidSpecifierException;
import io.github.pybundle.core.spec.pep440.SpecifierSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency declarations of a {@code pyproject.toml}: {@code [project]} {@code dependencies},
 * {@code optional-dependencies} and {@code requires-python}, and PEP 735 {@code [dependency-groups]} (with
 * {@code {include-group = "..."}} entries).
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/pyproject-toml/">pyproject.toml</a>
 * @see <a href="https://peps.python.org/pep-0735/">PEP 735, dependency groups</a>
 */
public final class PyprojectFile {
    private final Path file;
    private final List<String> lines;
    private final JsonNode root;
    private final Map<String, JsonNode> groups = new LinkedHashMap<>(); // normalised name -> list node
    private final Map<String, String> groupKeys = new LinkedHashMap<>(); // normalised name -> key as written

    private PyprojectFile(Path file, String text, JsonNode root) {
        this.file = file;
        this.lines = List.of(text.split("\r\n|\n|\r", -1));
        this.root = root;
        JsonNode dg = root.path("dependency-groups");
        if (!dg.isMissingNode() && !dg.isObject()) {
            throw error("[dependency-groups]", "must be a table", null);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = dg.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!ProjectName.isValid(e.getKey())) {
                throw error("[dependency-groups]", "'" + e.getKey() + "' is not a valid group name", e.getKey());
            }
            String normalized = ProjectName.normalize(e.getKey());
            if (groups.containsKey(normalized)) {
                throw error("[dependency-groups]", "'" + e.getKey() + "' and '" + groupKeys.get(normalized)
                        + "' are the same group once normalised", e.getKey());
            }
            groups.put(normalized, e.getValue());
            groupKeys.put(normalized, e.getKey());
        }
    }

    /**
     * Reads a pyproject.toml.
     *
     * @throws InvalidRequirementsFileException on TOML syntax errors (with the line) or misshapen tables
     */
    public static PyprojectFile parse(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InvalidRequirementsFileException(file + (line > 0 ? ":" + line : ""),
                    "not valid TOML: " + e.getOriginalMessage(), "fix the TOML syntax");
        }
        return new PyprojectFile(file, text, root == null ? new TomlMapper().createObjectNode() : root);
    }

    /** {@code [project] name}, or null. */
    public String projectName() {
        JsonNode n = root.path("project").path("name");
        return n.isTextual() ? n.asText() : null;
    }

    /** {@code [project] version} when it is static (not listed in {@code dynamic}), else null. */
    public String projectVersion() {
        JsonNode project = root.path("project");
        for (JsonNode d : project.path("dynamic")) {
            if ("version".equals(d.asText())) {
                return null;
            }
        }
        JsonNode n = project.path("version");
        return n.isTextual() ? n.asText() : null;
    }

    /** The file's path. */
    public Path file() {
        return file;
    }

    /** {@code [project] requires-python}, or null. */
    public SpecifierSet requiresPython() {
        JsonNode n = root.path("project").path("requires-python");
        if (n.isMissingNode()) {
            return null;
        }
        if (!n.isTextual()) {
            throw error("[project].requires-python", "must be a string", null);
        }
        try {
            return SpecifierSet.parse(n.asText());
        } catch (InvalidSpecifierException e) {
            throw error("[project].requires-python", e.getMessage(), n.asText());
        }
    }

    /** {@code [project] dependencies}. */
    public List<DeclaredRequirement> dependencies() {
        return requirements(root.path("project").path("dependencies"), "[project].dependencies");
    }

    /** The extras {@code [project.optional-dependencies]} declares, normalised. */
    public Set<String> extras() {
        Set<String> out = new java.util.LinkedHashSet<>();
        root.path("project").path("optional-dependencies").fieldNames()
                .forEachRemaining(k -> out.add(ProjectName.normalize(k)));
        return out;
    }

    /** The requirements of one extra (name compared normalised), or null when it is not declared. */
    public List<DeclaredRequirement> optionalDependencies(String extra) {
        JsonNode table = root.path("project").path("optional-dependencies");
        for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (ProjectName.normalize(e.getKey()).equals(ProjectName.normalize(extra))) {
                return requirements(e.getValue(), "[project.optional-dependencies]." + e.getKey());
            }
        }
        return null;
    }

    /** The dependency groups declared, normalised names. */
    public Set<String> dependencyGroups() {
        return groups.keySet();
    }

    /**
     * The requirements of a dependency group, includes expanded (PEP 735), or null when it is not declared.
     *
     * @throws InvalidRequirementsFileException on cycles, unknown includes or malformed entries
     */
    public List<DeclaredRequirement> dependencyGroup(String group) {
        String normalized = ProjectName.normalize(group);
        if (!groups.containsKey(normalized)) {
            return null;
        }
        List<DeclaredRequirement> out = new ArrayList<>();
        expand(normalized, new ArrayDeque<>(), out);
        return out;
    }

    private void expand(String group, Deque<String> path, List<DeclaredRequirement> out) {
        if (path.contains(group)) {
            List<String> cycle = new ArrayList<>(path);
            java.util.Collections.reverse(cycle);
            cycle.add(group);
            throw error("[dependency-groups]", "include-group makes a cycle: " + String.join(" -> ", cycle), null);
        }
        path.push(group);
        JsonNode list = groups.get(group);
        String key = "[dependency-groups]." + groupKeys.get(group);
        if (!list.isArray()) {
            throw error(key, "must be a list", null);
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (item.isTextual()) {
                out.add(declared(item.asText(), key + "[" + i + "]"));
            } else if (item.isObject() && item.size() == 1 && item.path("include-group").isTextual()) {
                String include = item.get("include-group").asText();
                if (!groups.containsKey(ProjectName.normalize(include))) {
                    throw error(key, "include-group '" + include + "' names no group in [dependency-groups]", include);
                }
                expand(ProjectName.normalize(include), path, out);
            } else {
                throw error(key + "[" + i + "]", "must be a requirement string or {include-group = \"name\"}", null);
            }
        }
        path.pop();
    }

    private List<DeclaredRequirement> requirements(JsonNode list, String key) {
        if (list.isMissingNode()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw error(key, "must be a list of requirement strings", null);
        }
        List<DeclaredRequirement> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isTextual()) {
                throw error(key + "[" + i + "]", "must be a requirement string", null);
            }
            out.add(declared(list.get(i).asText(), key + "[" + i + "]"));
        }
        return out;
    }

    private DeclaredRequirement declared(String text, String key) {
        String where = location(text) + " " + key;
        return new DeclaredRequirement(RequirementsFileParser.requirement(where, text), where, List.of());
    }

    // TOML parsers do not keep positions; the first line holding the value quoted is where the user wrote it.
    private String location(String value) {
        if (value != null) {
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (l.contains("\"" + value + "\"") || l.contains("'" + value + "'")) {
                    return file + ":" + (i + 1);
                }
            }
        }
        return file.toString();
    }

    private InvalidRequirementsFileException error(String key, String problem, String value) {
        return new InvalidRequirementsFileException(location(value) + " " + key, problem,
                "see https://packaging.python.org/en/latest/specifications/pyproject-toml/");
    }
}

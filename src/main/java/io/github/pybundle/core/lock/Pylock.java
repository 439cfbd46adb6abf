package io.github.pybundle.core.lock;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.requirements.HashPolicy;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.dist.DistributionFilename;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A PEP 751 lock file: the packages and the exact wheels to install for one target environment. pybundle also records
 * under {@code [tool.pybundle]} what the lock was made from (the declared requirements and the target), so that a later
 * build can tell without network whether it is still valid.
 *
 * <p>Wheels the build depends on (Maven {@code whl} dependencies) are recorded too, so that the lock names every
 * package of the bundle: with the path of pybundle's copy of the file in the build directory, relative to the lock
 * file as the specification wants relative paths, its size and sha256, and the build tool's coordinates under
 * {@code [packages.tool.pybundle]}. The build tool chose those files, not the resolver: they are never downloaded.
 *
 * <p>Written by hand in a fixed order (keys as the specification lists them, packages sorted by name) so that the
 * same resolution always gives the same bytes and diffs stay small.
 *
 * @param environments markers of the environments the lock is for
 * @param requiresPython the Python versions the lock is for
 * @param createdBy the tool that wrote it
 * @param packages the locked packages
 * @param inputs pybundle's record of what was locked ({@code [tool.pybundle]}); empty for other tools' locks
 * @see <a href="https://packaging.python.org/en/latest/specifications/pylock-toml/">pylock.toml specification</a>
 */
public record Pylock(List<String> environments, String requiresPython, String createdBy, List<LockedPackage> packages,
                     Map<String, List<String>> inputs) {
    /** The default file name. */
    public static final String FILE_NAME = "pylock.toml";

    public Pylock {
        environments = List.copyOf(environments);
        packages = packages.stream().sorted(Comparator.comparing(LockedPackage::name)).toList();
        inputs = Map.copyOf(inputs);
    }

    /** The TOML text. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Written by pybundle: the exact wheels for the target below. Re-lock with mvn pybundle:lock\n");
        sb.append("# (or -Dpybundle.updateLock); do not edit by hand.\n");
        sb.append("lock-version = \"1.0\"\n");
        sb.append("environments = ").append(array(environments)).append('\n');
        if (requiresPython != null) {
            sb.append("requires-python = ").append(str(requiresPython)).append('\n');
        }
        sb.append("extras = []\ndependency-groups = []\ndefault-groups = []\n");
        sb.append("created-by = ").append(str(createdBy)).append('\n');
        for (LockedPackage p : packages) {
            sb.append("\n[[packages]]\n");
            if (p.fromBuild()) {
                sb.append("# Not from an index: a wheel the build depends on (").append(p.artifact().replace('\n', ' '))
                        .append(").\n# Its path is pybundle's copy in the build directory, relative to this file;")
                        .append(" the sha256 is of that file.\n");
            }
            sb.append("name = ").append(str(p.name())).append('\n');
            sb.append("version = ").append(str(p.version())).append('\n');
            if (p.index() != null) {
                sb.append("index = ").append(str(p.index())).append('\n');
            }
            sb.append("dependencies = [");
            for (int i = 0; i < p.dependencies().size(); i++) {
                sb.append(i == 0 ? "" : ", ").append("{name = ").append(str(p.dependencies().get(i))).append('}');
            }
            sb.append("]\n");
            sb.append(p.sdist() ? "sdist = {name = " : "wheels = [{name = ").append(str(p.wheelName()));
            if (p.url() != null) {
                sb.append(", url = ").append(str(p.url()));
            }
            if (p.path() != null) {
                sb.append(", path = ").append(str(p.path()));
            }
            if (p.size() >= 0) {
                sb.append(", size = ").append(p.size());
            }
            sb.append(", hashes = {sha256 = ").append(str(p.sha256()));
            p.otherHashes().forEach((a, h) -> sb.append(", ").append(a).append(" = ").append(str(h)));
            sb.append(p.sdist() ? "}}\n" : "}}]\n");
            if (p.fromBuild()) {
                sb.append("tool.pybundle.artifact = ").append(str(p.artifact())).append('\n');
            }
        }
        if (!inputs.isEmpty()) {
            sb.append("\n[tool.pybundle]\n");
            inputs.keySet().stream().sorted().forEach(k -> sb.append(k).append(" = ").append(array(inputs.get(k)))
                    .append('\n'));
        }
        return sb.toString();
    }

    /** This lock without the wheels the build depends on: the packages resolved from indexes. */
    public Pylock resolvedOnly() {
        return new Pylock(environments, requiresPython, createdBy, packages.stream().filter(p -> !p.fromBuild())
                .toList(), inputs);
    }

    /**
     * This lock's resolved packages with {@code fromBuild}, the wheels the build depends on now, in place of those it
     * recorded before.
     */
    public Pylock withBuildWheels(List<LockedPackage> fromBuild) {
        List<LockedPackage> all = new ArrayList<>(resolvedOnly().packages());
        all.addAll(fromBuild);
        return new Pylock(environments, requiresPython, createdBy, all, inputs);
    }

    /** Writes the lock atomically; returns false when the file already has exactly this content. */
    public boolean write(Path file) throws IOException {
        byte[] bytes = render().getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
            return false;
        }
        AtomicFile.write(file, temp -> Files.write(temp, bytes));
        return true;
    }

    /**
     * Reads a lock, whichever tool wrote it, as long as it locks packages to wheels.
     *
     * @throws InvalidLockException when the file is not a usable PEP 751 lock
     */
    public static Pylock read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new InvalidLockException(file + ": not valid TOML: " + e.getOriginalMessage(),
                    "re-create it with {#updateLock}");
        }
        String version = root.path("lock-version").asText("");
        if (!version.startsWith("1.")) {
            throw new InvalidLockException(file + ": lock-version '" + version + "' is not supported (1.x is)",
                    "re-create it with {#updateLock}");
        }
        List<String> environments = new ArrayList<>();
        root.path("environments").forEach(e -> environments.add(e.asText()));
        List<LockedPackage> packages = new ArrayList<>();
        for (JsonNode p : root.path("packages")) {
            String name = p.path("name").asText();
            JsonNode wheels = p.path("wheels");
            boolean sdist = wheels.isEmpty() && p.path("sdist").isObject();
            if (!sdist && wheels.size() != 1) {
                throw new InvalidLockException(file + ": package '" + name + "' has " + wheels.size() + " wheels;"
                        + " pybundle needs a lock made for one target (one wheel per package)",
                        "re-lock for the cluster's target with {#updateLock}");
            }
            JsonNode w = sdist ? p.get("sdist") : wheels.get(0);
            String sha = w.path("hashes").path("sha256").asText(null);
            if (sha == null) {
                throw new InvalidLockException(file + ": the wheel of '" + name + "' has no sha256 hash",
                        "re-lock with {#updateLock}");
            }
            if (!Digests.isSha256(sha)) {
                throw new InvalidLockException(file + ": the sha256 of '" + name + "' is not 64 hex digits: '"
                        + DistributionFilename.printable(sha) + "'", "re-lock with {#updateLock}");
            }
            String url = w.hasNonNull("url") ? w.get("url").asText() : null;
            String path = w.hasNonNull("path") ? w.get("path").asText() : null;
            String wheelName = w.hasNonNull("name") ? w.get("name").asText()
                    : (url != null ? url : path == null ? "" : path).replaceFirst(".*/", "");
            String problem = DistributionFilename.problem(wheelName);
            if (problem == null && url != null && !url.matches("(?i)^https?://[^\\s]*$")) {
                problem = "its url is not an http(s) URL";
            }
            if (problem == null && url == null && (path == null || path.chars().anyMatch(c -> DistributionFilename
                    .isControl((char) c)) || !path.replace('\\', '/').endsWith("/" + wheelName)
                    && !path.equals(wheelName))) {
                problem = "it has neither a url nor a path ending in its file name";
            }
            if (problem != null) {
                throw new InvalidLockException(file + ": the file of '" + name + "' ('"
                        + DistributionFilename.printable(wheelName) + "') cannot be used: " + problem,
                        "re-lock with {#updateLock}");
            }
            List<String> deps = new ArrayList<>();
            p.path("dependencies").forEach(d -> deps.add(d.path("name").asText()));
            Map<String, String> others = new LinkedHashMap<>();
            w.path("hashes").fields().forEachRemaining(h -> {
                // sha384 and sha512 (hash-checking mode records them); other tools' other digests are not used
                if (!h.getKey().equals("sha256") && HashPolicy.ALGORITHMS
                        .containsKey(h.getKey().toLowerCase(Locale.ROOT)) && h.getValue().isTextual()) {
                    others.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().asText()
                            .toLowerCase(Locale.ROOT));
                }
            });
            String artifact = p.path("tool").path("pybundle").path("artifact").asText(null);
            if (artifact != null && (url != null || path == null || sdist)) {
                throw new InvalidLockException(file + ": '" + name + "' is a wheel the build depends on, but has no"
                        + " path to it", "re-lock with {#updateLock}");
            }
            packages.add(new LockedPackage(name, p.path("version").asText(null), p.path("index").asText(null),
                    wheelName, url, path, w.path("size").asLong(-1),
                    sha, deps, sdist, others, artifact));
        }
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        JsonNode tool = root.path("tool").path("pybundle");
        for (Iterator<Map.Entry<String, JsonNode>> it = tool.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            inputs.put(e.getKey(), values);
        }
        return new Pylock(environments, root.path("requires-python").asText(null),
                root.path("created-by").asText("unknown"), packages, inputs);
    }

    private static String array(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(str(values.get(i)));
        }
        return sb.append(']').toString();
    }

    /** A TOML basic string. */
    static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}

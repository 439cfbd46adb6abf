package io.github.pybundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core is build-tool neutral: nothing under io.github.pybundle.core may reach Maven or the Maven adapter. */
class ArchitectureTest {
    private static final Path CORE = Path.of("src/main/java/io/github/pybundle/core");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\b(org\\.apache\\.maven|org\\.codehaus\\.plexus|org\\.eclipse\\.aether|io\\.github\\.pybundle\\.maven)\\b");

    @Test
    void core_neverReferencesMavenPlexusOrTheAdapter() throws IOException {
        assertTrue(Files.isDirectory(CORE), "run from the project root: " + Path.of("").toAbsolutePath());
        List<String> violations = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(CORE)) {
            sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                if (FORBIDDEN.matcher(lines.get(i)).find()) {
                    violations.add(source + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertTrue(sources.size() > 10, "too few core sources found: " + sources.size());
        assertEquals(List.of(), violations);
    }
}

package io.github.pybundle;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape docs/architecture.md describes, enforced: the core is build-tool neutral, its packages form layers that
 * only depend downwards, and no two packages depend on each other.
 */
class ArchitectureTest {
    private static final Path CORE = Path.of("src/main/java/io/github/pybundle/core");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\b(org\\.apache\\.maven|org\\.codehaus\\.plexus|org\\.eclipse\\.aether|io\\.github\\.pybundle\\.maven)\\b");
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.github.pybundle");

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

    @Test
    void layers_onlyDependDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Spec").definedBy("io.github.pybundle.core", "io.github.pybundle.core.event",
                        "io.github.pybundle.core.spec..")
                .layer("Io").definedBy("io.github.pybundle.core.archive..", "io.github.pybundle.core.net..")
                .layer("Cache").definedBy("io.github.pybundle.core.cache..")
                .layer("Artifacts").definedBy("io.github.pybundle.core.wheel..", "io.github.pybundle.core.source..",
                        "io.github.pybundle.core.target..", "io.github.pybundle.core.model..")
                .layer("Requirements").definedBy("io.github.pybundle.core.requirements..")
                .layer("Index").definedBy("io.github.pybundle.core.index..")
                .layer("Resolve").definedBy("io.github.pybundle.core.resolve..")
                .layer("Lock").definedBy("io.github.pybundle.core.lock..")
                .layer("Outputs").definedBy("io.github.pybundle.core.bundle..", "io.github.pybundle.core.launch..",
                        "io.github.pybundle.core.sbom..", "io.github.pybundle.core.verify..",
                        "io.github.pybundle.core.probe..")
                .layer("Project").definedBy("io.github.pybundle.core.project..")
                .layer("App").definedBy("io.github.pybundle.core.app..")
                .layer("Maven").definedBy("io.github.pybundle.maven..")
                .whereLayer("Maven").mayNotBeAccessedByAnyLayer()
                .whereLayer("App").mayOnlyBeAccessedByLayers("Maven")
                .whereLayer("Project").mayOnlyBeAccessedByLayers("App", "Maven")
                .whereLayer("Outputs").mayOnlyBeAccessedByLayers("Project", "App", "Maven")
                .whereLayer("Lock").mayOnlyBeAccessedByLayers("Outputs", "Project", "App", "Maven")
                .whereLayer("Resolve").mayOnlyBeAccessedByLayers("Lock", "Outputs", "Project", "App", "Maven")
                .whereLayer("Index").mayOnlyBeAccessedByLayers("Resolve", "Lock", "Outputs", "Project", "App", "Maven")
                .whereLayer("Requirements").mayOnlyBeAccessedByLayers("Index", "Resolve", "Lock", "Outputs", "Project",
                        "App", "Maven")
                .whereLayer("Artifacts").mayOnlyBeAccessedByLayers("Requirements", "Index", "Resolve", "Lock",
                        "Outputs", "Project", "App", "Maven")
                .whereLayer("Cache").mayOnlyBeAccessedByLayers("Artifacts", "Requirements", "Index", "Resolve", "Lock",
                        "Outputs", "Project", "App", "Maven")
                .whereLayer("Io").mayOnlyBeAccessedByLayers("Cache", "Artifacts", "Requirements", "Index", "Resolve",
                        "Lock", "Outputs", "Project", "App", "Maven")
                .check(CLASSES);
    }

    @Test
    void corePackages_haveNoCycles() {
        slices().matching("io.github.pybundle.core.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}

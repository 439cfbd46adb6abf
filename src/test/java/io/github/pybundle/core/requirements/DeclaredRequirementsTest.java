package io.github.pybundle.core.requirements;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.maven.PomWords;
import io.github.pybundle.testing.SourceTrees;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeclaredRequirementsTest {
    @TempDir
    Path dir;

    private DeclaredRequirements collect(List<String> pom, List<String> extras, List<String> groups, boolean explicit)
            throws Exception {
        return DeclaredRequirements.collect(new DeclaredRequirements.Request(pom, List.of("urllib3<2"),
                List.of(), dir.resolve("pyproject.toml"), explicit, extras, groups, Map.of()));
    }

    @Test
    void collect_combinesPomPyprojectExtrasAndGroupsAndPublishesOnlyAbstractDependencies() throws Exception {
        SourceTrees.write(dir, "pyproject.toml", "[project]\nrequires-python = \">=3.8\"\ndependencies = [\"pandas\"]\n"
                + "[project.optional-dependencies]\nfast = [\"ujson; os_name == 'posix'\", \"orjson; os_name == 'nt' or os_name == 'java'\"]\n"
                + "[dependency-groups]\ntest = [\"pytest\"]\n");
        DeclaredRequirements d = collect(List.of("requests>=2"), List.of("fast"), List.of("test"), false);
        assertEquals(List.of("requests>=2", "pandas", "ujson; os_name == \"posix\"",
                "orjson; os_name == \"nt\" or os_name == \"java\"", "pytest"),
                d.requirements().stream().map(r -> r.requirement().toString()).toList());
        assertEquals("urllib3<2", d.constraints().get(0).requirement().toString());
        // The extra's condition binds to the whole original marker: "or" inside keeps its parentheses.
        assertEquals(List.of("requests>=2", "pandas", "ujson; os_name == \"posix\" and extra == \"fast\"",
                "orjson; (os_name == \"nt\" or os_name == \"java\") and extra == \"fast\""),
                d.publishedRequirements().stream().map(Object::toString).toList());
        assertEquals(List.of("fast"), d.publishedExtras());
        assertEquals(">=3.8", d.requiresPython().toString());
    }

    @Test
    void collect_namesThePomElementAndEntryOfABadRequirement() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> collect(List.of("requests", "pandas>=2,<"), List.of(), List.of(), false));
        assertEquals("requirements", e.setting());
        assertEquals("pandas>=2,<", e.value());
        assertTrue(PomWords.render(e.getMessage()).startsWith("entry 2: 'pandas>=2,<' is not a valid requirement: Expected end or"
                + " semicolon"), PomWords.render(e.getMessage()));
        assertTrue(PomWords.render(e.getMessage()).contains("\n    pandas>=2,<\n"), PomWords.render(e.getMessage()));
    }

    @Test
    void collect_refusesUnknownExtrasGroupsAndMissingFiles() throws Exception {
        assertEquals("extras", assertThrows(InvalidConfigurationException.class,
                () -> collect(List.of(), List.of("gpu"), List.of(), false)).setting());
        assertEquals("pyproject", assertThrows(InvalidConfigurationException.class,
                () -> collect(List.of(), List.of(), List.of(), true)).setting());
        SourceTrees.write(dir, "pyproject.toml", "[dependency-groups]\ntest = []\n");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> collect(List.of(), List.of(), List.of("docs"), false));
        assertEquals("dependencyGroups", e.setting());
        assertTrue(PomWords.render(e.getMessage()).contains("(declared: [test])"), PomWords.render(e.getMessage()));
        InvalidConfigurationException missing = assertThrows(InvalidConfigurationException.class,
                () -> DeclaredRequirements.collect(new DeclaredRequirements.Request(List.of(), List.of(),
                        List.of(dir.resolve("nope.txt")), null, false, List.of(), List.of(), Map.of())));
        assertEquals("requirementsFiles", missing.setting());
    }

    private static final String SHA = "ab".repeat(32);

    @Test
    void collect_readsHashesOfPomEntriesAndTurnsHashCheckingOn() throws Exception {
        DeclaredRequirements d = DeclaredRequirements.collect(new DeclaredRequirements.Request(
                List.of("six==1.16.0 --hash=sha256:" + SHA.toUpperCase() + "\n      --hash sha256:" + "c".repeat(64)),
                List.of("urllib3==2.0.7 --hash=sha512:" + "d".repeat(128)), List.of(), null, false, List.of(),
                List.of(), Map.of()));
        assertEquals("six==1.16.0", d.requirements().get(0).requirement().toString());
        assertEquals(List.of("sha256:" + SHA, "sha256:" + "c".repeat(64)), d.requirements().get(0).hashes());
        assertEquals(List.of("sha512:" + "d".repeat(128)), d.constraints().get(0).hashes());
        assertTrue(d.hashes().enabled());
        assertEquals("--hash in <requirements> entry 1", PomWords.render(d.hashes().trigger()));
        assertEquals(List.of("six sha256:" + SHA, "six sha256:" + "c".repeat(64), "urllib3 sha512:" + "d".repeat(128)),
                d.hashes().inputs());
        // The hashes are a deployment input: the project wheel's Requires-Dist does not carry them.
        assertEquals(List.of("six==1.16.0"), d.publishedRequirements().stream().map(Object::toString).toList());
    }

    @Test
    void collect_hashCheckingIsOffWithoutHashesAndOnWhenAskedFor() throws Exception {
        assertTrue(!collect(List.of("six"), List.of(), List.of(), false).hashes().enabled());
        DeclaredRequirements d = DeclaredRequirements.collect(new DeclaredRequirements.Request(List.of("six"),
                List.of(), List.of(), null, false, List.of(), List.of(), Map.of(), true));
        assertEquals("<requireHashes>", PomWords.render(d.hashes().trigger()));
        SourceTrees.write(dir, "requirements.txt", "--require-hashes\nsix==1.16.0\n");
        DeclaredRequirements f = DeclaredRequirements.collect(new DeclaredRequirements.Request(List.of(),
                List.of(), List.of(dir.resolve("requirements.txt")), null, false, List.of(), List.of(), Map.of()));
        assertEquals("--require-hashes in " + dir.resolve("requirements.txt") + ":1", PomWords.render(f.hashes().trigger()));
    }

    @Test
    void collect_refusesAWeakHashInAPomEntryNamingTheElement() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> collect(
                List.of("six==1.16.0 --hash=md5:" + "0".repeat(32)), List.of(), List.of(), false));
        assertEquals("requirements", e.setting());
        assertTrue(PomWords.render(e.getMessage()).contains("md5 hashes are not accepted"), PomWords.render(e.getMessage()));
    }
}

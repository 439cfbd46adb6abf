package io.github.pybundle.core.requirements;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.testing.SourceTrees;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyprojectFileTest {
    @TempDir
    Path dir;

    private PyprojectFile parse(String toml) throws Exception {
        return PyprojectFile.parse(SourceTrees.write(dir, "pyproject.toml", toml));
    }

    private static List<String> reqs(List<DeclaredRequirement> list) {
        return list.stream().map(d -> d.requirement().toString()).toList();
    }

    @Test
    void parse_readsProjectDependenciesExtrasAndRequiresPython() throws Exception {
        PyprojectFile p = parse("[project]\nname = \"app\"\nrequires-python = \">=3.8\"\n"
                + "dependencies = [\n  \"pandas>=2\",\n  'pyarrow; python_version >= \"3.9\"',\n]\n"
                + "[project.optional-dependencies]\nFast_IO = [\"ujson\"]\n");
        assertEquals("app", p.projectName());
        assertEquals(">=3.8", p.requiresPython().toString());
        assertEquals(List.of("pandas>=2", "pyarrow; python_version >= \"3.9\""), reqs(p.dependencies()));
        assertEquals(dir.resolve("pyproject.toml") + ":5 [project].dependencies[0]", p.dependencies().get(0).source());
        assertEquals(Set.of("fast-io"), p.extras());
        assertEquals(List.of("ujson"), reqs(p.optionalDependencies("fast.io")));
        assertNull(p.optionalDependencies("slow"));
    }

    @Test
    void dependencyGroup_expandsIncludesPerPep735() throws Exception {
        PyprojectFile p = parse("[dependency-groups]\ntest = [\"pytest\", {include-group = \"Typing\"}]\n"
                + "typing = [\"mypy\"]\n");
        assertEquals(List.of("pytest", "mypy"), reqs(p.dependencyGroup("TEST")));
        assertNull(p.dependencyGroup("docs"));
    }

    @Test
    void dependencyGroup_reportsCyclesAndUnknownIncludes() throws Exception {
        PyprojectFile cyclic = parse("[dependency-groups]\na = [{include-group = \"b\"}]\nb = [{include-group = \"a\"}]\n");
        assertTrue(assertThrows(InvalidRequirementsFileException.class, () -> cyclic.dependencyGroup("a"))
                .getMessage().contains("include-group makes a cycle: a -> b -> a"));
        PyprojectFile unknown = parse("[dependency-groups]\na = [{include-group = \"nope\"}]\n");
        assertTrue(assertThrows(InvalidRequirementsFileException.class, () -> unknown.dependencyGroup("a"))
                .getMessage().contains("include-group 'nope' names no group"));
    }

    @Test
    void parse_reportsTomlErrorsWithTheLineAndBadRequirementsWithTheirLine() throws Exception {
        InvalidRequirementsFileException syntax = assertThrows(InvalidRequirementsFileException.class,
                () -> parse("[project]\nname = \n"));
        assertTrue(syntax.getMessage().startsWith(dir.resolve("pyproject.toml") + ":2: not valid TOML"),
                syntax.getMessage());
        PyprojectFile p = parse("[project]\ndependencies = [\n  \"ok\",\n  \"bad >=\",\n]\n");
        InvalidRequirementsFileException bad = assertThrows(InvalidRequirementsFileException.class, p::dependencies);
        assertTrue(bad.getMessage().startsWith(dir.resolve("pyproject.toml") + ":4 [project].dependencies[1]: "
                + "'bad >=' is not a valid requirement"), bad.getMessage());
    }
}

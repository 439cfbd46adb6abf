package io.github.pybundle.core.requirements;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.testing.SourceTrees;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequirementsFileParserTest {
    private static final String SHA = "a".repeat(64);

    @TempDir
    Path dir;

    private RequirementsFile parse(String content) throws Exception {
        return new RequirementsFileParser(Map.of("TOKEN", "s3cret", "VER", "2.31"))
                .parse(SourceTrees.write(dir, "requirements.txt", content));
    }

    private static List<String> names(List<DeclaredRequirement> reqs) {
        return reqs.stream().map(d -> d.requirement().toString()).toList();
    }

    @Test
    void parse_readsRequirementsCommentsContinuationsVariablesAndHashes() throws Exception {
        RequirementsFile f = parse("# comment line\n"
                + "requests==${VER}  # trailing comment\n"
                + "numpy>=1.20 \\\n"
                + "    ; python_version >= '3.8'\n"
                + "\n"
                + "six --hash=sha256:" + SHA + " \\\n"
                + "    --hash sha256:" + "B".repeat(64) + "\n"
                + "pandas # comment\n");
        assertEquals(List.of("requests==2.31", "numpy>=1.20; python_version >= \"3.8\"", "six", "pandas"),
                names(f.requirements()));
        assertEquals(dir.resolve("requirements.txt") + ":3", f.requirements().get(1).source());
        assertEquals(List.of("sha256:" + SHA, "sha256:" + "b".repeat(64)), f.requirements().get(2).hashes());
    }

    @Test
    void parse_acceptsSha384AndSha512AndRecordsRequireHashes() throws Exception {
        RequirementsFile f = parse("six==1.16.0 --hash=sha384:" + "C".repeat(96) + " --hash=sha512:" + "d".repeat(128)
                + " --hash=sha512:" + "d".repeat(128) + "\n--require-hashes\n");
        assertEquals(List.of("sha384:" + "c".repeat(96), "sha512:" + "d".repeat(128)), f.requirements().get(0).hashes());
        assertEquals(dir.resolve("requirements.txt") + ":2", f.requireHashes());
        assertTrue(f.warnings().isEmpty(), f.warnings().toString());
    }

    @Test
    void parse_readsHashesOfConstraints() throws Exception {
        SourceTrees.write(dir, "constraints.txt", "urllib3==2.0.7 --hash=sha256:" + SHA + "\n");
        RequirementsFile f = parse("-c constraints.txt\nrequests\n");
        assertEquals(List.of("sha256:" + SHA), f.constraints().get(0).hashes());
        assertEquals(null, f.requireHashes());
    }

    @Test
    void parse_followsIncludesAndConstraintsRelativeToTheIncludingFile() throws Exception {
        SourceTrees.write(dir, "sub/base.txt", "-c ../constraints.txt\nrequests\n");
        SourceTrees.write(dir, "constraints.txt", "urllib3<2\n");
        RequirementsFile f = parse("-r sub/base.txt\nflask\n");
        assertEquals(List.of("requests", "flask"), names(f.requirements()));
        assertEquals(List.of("urllib3<2"), names(f.constraints()));
    }

    @Test
    void parse_collectsIndexOptions() throws Exception {
        RequirementsFile f = parse("--index-url https://nexus.example/simple\n"
                + "--extra-index-url=https://other.example/simple\n-f ./wheels\n--pre\n"
                + "--only-binary :all:\n--no-binary Foo_Bar,baz\n");
        assertEquals("https://nexus.example/simple", f.indexUrl());
        assertEquals(List.of("https://other.example/simple"), f.extraIndexUrls());
        assertEquals(List.of(dir.resolve("wheels").toString()), f.findLinks());
        assertTrue(f.pre());
        assertEquals(Set.of(":all:"), f.onlyBinary());
        assertEquals(Set.of("foo-bar", "baz"), f.noBinary());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-e ./src/mylib | editable requirements (-e) are not supported",
        "git+https://github.com/x/y.git | is a version-control requirement",
        "y @ git+https://github.com/x/y.git | is a version-control requirement",
        "./dist/y-1.0-py3-none-any.whl | is a path or URL without a project name",
        "--frobnicate | unknown or unsupported option '--frobnicate'",
        "requests --global-option=x | the option --global-option=x is not supported after a requirement",
        "requests --hash=md5:" + "0123456789abcdef0123456789abcdef | md5 hashes are not accepted (md5 is too weak",
        "requests --hash=sha1:abc | sha1 hashes are not accepted (sha1 is too weak",
        "requests --hash=sha256:abc | a sha256 digest is 64 hex digits, not 3",
        "requests --hash=sha512:" + "ab" + " | a sha512 digest is 128 hex digits, not 2",
        "requests --hash=sha256 | 'sha256' is not a valid --hash value",
        "pandas >=2,< | 'pandas >=2,<' is not a valid requirement",
        "-r | -r needs a value",
        "-r missing.txt | does not exist",
    })
    void parse_refusesBadLinesNamingFileAndLine(String line, String message) throws Exception {
        InvalidRequirementsFileException e = assertThrows(InvalidRequirementsFileException.class,
                () -> parse("ok\n" + line + "\n"));
        assertTrue(e.getMessage().startsWith(dir.resolve("requirements.txt") + ":2: "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(!e.hints().isEmpty());
    }

    @Test
    void parse_detectsIncludeCycles() throws Exception {
        SourceTrees.write(dir, "b.txt", "-r requirements.txt\n");
        InvalidRequirementsFileException e = assertThrows(InvalidRequirementsFileException.class,
                () -> parse("-r b.txt\n"));
        assertTrue(e.getMessage().contains("makes a cycle"), e.getMessage());
    }
}

package io.github.pybundle.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.source.PythonSourceTree;
import io.github.pybundle.core.spec.metadata.CoreMetadata;
import io.github.pybundle.core.spec.metadata.RecordFile;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.ZipContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectWheelBuilderTest {
    private static final Instant T = Instant.parse("2024-05-06T07:08:10Z");

    @TempDir
    Path dir;

    private Path build(Path out) throws Exception {
        Path src = SourceTrees.sample(dir.resolve("project"));
        CoreMetadata md = new CoreMetadata(ProjectName.of("My.App"), Version.parse("1.2.0.dev0"),
                "Counts\n  words", "Apache-2.0", "https://example.org/app", ">=3.8", List.of("fast"),
                List.of("requests>=2", "ujson; extra == \"fast\""));
        return new ProjectWheelBuilder("pybundle test").build(PythonSourceTree.scan(src, src.resolve("main.py")), md,
                out, T);
    }

    @Test
    void build_namesTheWheelByTheEscapedNameAndNormalisedVersion() throws Exception {
        Path wheel = build(dir.resolve("out"));
        assertEquals("my_app-1.2.0.dev0-py3-none-any.whl", wheel.getFileName().toString());
    }

    @Test
    void build_writesSourcesThenDistInfoWithRecordLast() throws Exception {
        List<String> names = ZipContents.names(build(dir.resolve("out")));
        assertEquals(List.of("app/__init__.py", "app/data/stop-words.txt", "app/sub/__init__.py", "app/text.py",
                "helpers.py", "my_app-1.2.0.dev0.dist-info/METADATA", "my_app-1.2.0.dev0.dist-info/WHEEL",
                "my_app-1.2.0.dev0.dist-info/RECORD"), names);
    }

    @Test
    void build_writesMetadataAndWheelFiles() throws Exception {
        Map<String, String> texts = ZipContents.texts(build(dir.resolve("out")));
        assertEquals("Metadata-Version: 2.1\nName: My.App\nVersion: 1.2.0.dev0\nSummary: Counts words\n"
                + "Home-page: https://example.org/app\nLicense: Apache-2.0\nRequires-Python: >=3.8\n"
                + "Provides-Extra: fast\nRequires-Dist: requests>=2\nRequires-Dist: ujson; extra == \"fast\"\n",
                texts.get("my_app-1.2.0.dev0.dist-info/METADATA"));
        assertEquals("Wheel-Version: 1.0\nGenerator: pybundle test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
                texts.get("my_app-1.2.0.dev0.dist-info/WHEEL"));
    }

    @Test
    void build_recordListsEveryOtherFileWithItsSha256AndSize() throws Exception {
        Path wheel = build(dir.resolve("out"));
        Map<String, String> texts = ZipContents.texts(wheel);
        String[] rows = texts.get("my_app-1.2.0.dev0.dist-info/RECORD").split("\n");
        assertEquals(texts.size(), rows.length);
        for (String row : rows) {
            String[] f = row.split(",", -1);
            if (f[0].endsWith("/RECORD")) {
                assertEquals("", f[1] + f[2]);
                continue;
            }
            byte[] content = ZipContents.bytes(wheel, f[0]);
            String hash = "sha256=" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(content));
            assertEquals(hash, f[1], f[0]);
            assertEquals(String.valueOf(content.length), f[2], f[0]);
        }
    }

    @Test
    void build_isByteIdenticalAcrossRunsAndTimeZones() throws Exception {
        TimeZone saved = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            byte[] first = Files.readAllBytes(build(dir.resolve("a")));
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
            byte[] second = Files.readAllBytes(build(dir.resolve("b")));
            assertArrayEquals(first, second);
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void build_stampsEveryEntryWithTheTimestampAndNormalisedMode() throws Exception {
        for (ZipArchiveEntry e : ZipContents.entries(build(dir.resolve("out")))) {
            java.time.LocalDateTime local = java.time.LocalDateTime.ofInstant(e.getLastModifiedDate().toInstant(),
                    java.time.ZoneId.systemDefault());
            assertEquals(java.time.LocalDateTime.of(2024, 5, 6, 7, 8, 10), local, e.getName());
            assertEquals(0644, e.getUnixMode() & 07777, e.getName());
            assertEquals(0, e.getExtra().length, e.getName() + " has extra fields");
        }
    }

    @Test
    void recordCsv_quotesLikePythonsCsvModule() {
        assertEquals("a.py", RecordFile.csv("a.py"));
        assertEquals("\"a,b.py\"", RecordFile.csv("a,b.py"));
        assertEquals("\"a\"\"b.py\"", RecordFile.csv("a\"b.py"));
        assertTrue(RecordFile.csv("x\ny").startsWith("\""));
    }
}

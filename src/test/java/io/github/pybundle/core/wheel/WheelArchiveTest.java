package io.github.pybundle.core.wheel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.spec.metadata.RecordFile;
import io.github.pybundle.core.spec.metadata.WheelFile;
import io.github.pybundle.testing.Bytes;
import io.github.pybundle.testing.TestWheels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken wheels built by the tests: each is refused with the wheel and the entry named. */
class WheelArchiveTest {
    @TempDir
    Path dir;

    private Path good() throws Exception {
        Path p = dir.resolve("six-1.16.0-py3-none-any.whl");
        Files.write(p, TestWheels.build(TestWheels.pure("six", "1.16.0")));
        return p;
    }

    private String refused(Path wheel) {
        return assertThrows(UnsafeWheelException.class, () -> WheelSource.open(wheel).close()).getMessage();
    }

    @Test
    void open_refusesAFileMissingFromRecord() throws Exception {
        Path p = dir.resolve("x/six-1.16.0-py3-none-any.whl");
        Files.createDirectories(p.getParent());
        Path src = good();
        try (var in = new java.util.zip.ZipFile(src.toFile());
             var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(p))) {
            for (var e : java.util.Collections.list(in.entries())) {
                z.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                z.write(in.getInputStream(e).readAllBytes());
                z.closeEntry();
            }
            z.putNextEntry(new java.util.zip.ZipEntry("six/sneaky.py"));
            z.write("x".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        assertTrue(refused(p).equals("six-1.16.0-py3-none-any.whl: entry 'six/sneaky.py' is not listed with a hash"
                + " in RECORD"), refused(p));
    }

    @Test
    void open_refusesADistInfoThatDoesNotMatchTheFileName() throws Exception {
        Path p = dir.resolve("six-2.0-py3-none-any.whl");
        Files.copy(good(), p);
        assertTrue(refused(p).contains("six-1.16.0.dist-info does not match the file name's six 2.0"), refused(p));
    }

    @Test
    void open_refusesDuplicateEntryNames() throws Exception {
        Path p = dir.resolve("dup-1.0-py3-none-any.whl");
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(p)) {
            for (String n : List.of("dup/__init__.py", "dup/__init__.py")) {
                z.putArchiveEntry(new ZipArchiveEntry(n));
                z.write("x".getBytes(StandardCharsets.UTF_8));
                z.closeArchiveEntry();
            }
        }
        assertTrue(refused(p).contains("entry 'dup/__init__.py' appears twice"), refused(p));
    }

    @Test
    void open_refusesALocalHeaderThatNamesAnotherFile() throws Exception {
        Path p = good();
        byte[] b = Files.readAllBytes(p);
        byte[] name = "six/__init__.py".getBytes(StandardCharsets.UTF_8);
        // Patch the first local header's name (it follows the 30-byte fixed part): same length, other file.
        int at = Bytes.indexOf(b, name);
        assertTrue(at >= 0, "the entry name is in the wheel");
        System.arraycopy("six/__evil__.py".getBytes(StandardCharsets.UTF_8), 0, b, at, name.length);
        Files.write(p, b);
        assertTrue(refused(p).contains("entry 'six/__init__.py' is named 'six/__evil__.py' in its local header"),
                refused(p));
    }

    @Test
    void open_refusesAnEntryDeclaringMoreThanTheSizeLimit() throws Exception {
        Path p = good();
        byte[] b = Files.readAllBytes(p);
        // The central directory record of the first entry: signature PK\1\2; its uncompressed size is at +24.
        int cd = -1;
        for (int i = 0; i < b.length - 4; i++) {
            if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 1 && b[i + 3] == 2) {
                cd = i;
                break;
            }
        }
        java.nio.ByteBuffer.wrap(b, cd + 24, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0xF0000000);
        Files.write(p, b);
        assertTrue(refused(p).contains("declares 4026531840 bytes, over the 3221225472-byte limit"), refused(p));
    }

    @Test
    void open_acceptsAWellFormedWheelAndKnowsItIsPure() throws Exception {
        try (WheelSource w = WheelSource.open(good())) {
            assertTrue(w.isPure());
            assertTrue(w.distInfo().equals("six-1.16.0.dist-info"));
        }
    }

    @Test
    void isPure_quickReadAgreesWithTheFullCheckAndFallsBackToItForABrokenFile() throws Exception {
        Path pure = good();
        TestWheels.Spec nativeSpec = new TestWheels.Spec("fast", "1.0", "cp311-cp311-manylinux_2_17_x86_64",
                List.of(), null, java.util.Map.of("fast/__init__.py", "", "fast/_c.cpython-311-x86_64-linux-gnu.so",
                "ELF"));
        Path nat = dir.resolve(nativeSpec.filename());
        Files.write(nat, TestWheels.build(nativeSpec));
        for (Path w : List.of(pure, nat)) {
            try (WheelSource full = WheelSource.open(w)) {
                org.junit.jupiter.api.Assertions.assertEquals(full.isPure(), WheelSource.isPure(w), w.toString());
            }
        }
        org.junit.jupiter.api.Assertions.assertFalse(WheelSource.isPure(nat));
        Path broken = dir.resolve("broken-1.0-py3-none-any.whl");
        Files.writeString(broken, "not a zip");
        UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> WheelSource.isPure(broken),
                "the full open reports it");
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("broken-1.0-py3-none-any.whl: it is not"
                + " a readable zip archive"), e.getMessage());
    }

    @Test
    void open_answersWheelRecordMetadataAndProperNameAsTheCheapLookDoes() throws Exception {
        Path good = good();
        Path stored = Files.copy(good, dir.resolve("six-artifact-1.16.0.whl")); // as a Maven repository names it
        try (WheelSource w = WheelSource.open(good)) {
            assertEquals(new WheelFile("1.0", true, List.of("py3-none-any")), w.wheelFile());
            assertEquals("six-1.16.0-py3-none-any.whl", w.properName());
            assertEquals(w.properName(), WheelSource.properName(stored));
            assertArrayEquals(WheelSource.readMetadata(good), w.metadata());
            RecordFile.Row row = w.record().get("six/__init__.py");
            assertEquals("sha256", row.algorithm());
            assertEquals("VERSION = '1.16.0'\n".length(), row.size());
            assertFalse(w.record().get("six-1.16.0.dist-info/RECORD").hashed());
            assertEquals(null, w.readDistInfo("entry_points.txt", 1024), "the wheel has none");
        }
        assertTrue(WheelSource.metadataEntry("six-1.16.0-py3-none-any.whl").test("six-1.16.0.dist-info/METADATA"));
        assertFalse(WheelSource.metadataEntry("six-1.16.0-py3-none-any.whl").test("other-1.0.dist-info/METADATA"));
    }
}

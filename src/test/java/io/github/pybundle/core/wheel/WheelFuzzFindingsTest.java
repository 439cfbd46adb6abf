package io.github.pybundle.core.wheel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.testing.Bytes;
import io.github.pybundle.testing.TestWheels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the wheel fuzz tests ({@link WheelArchiveFuzzTest}, {@link WheelBytesFuzzTest}) found, reduced and built in
 * code: each wheel is refused with an {@link UnsafeWheelException} that names it, instead of another exception.
 */
class WheelFuzzFindingsTest {
    private static final String NAME = "pkg-1.0-py3-none-any.whl";

    @TempDir
    Path dir;

    private Path write(byte[] bytes) throws Exception {
        Path p = dir.resolve(NAME);
        Files.write(p, bytes);
        return p;
    }

    private static String refused(org.junit.jupiter.api.function.Executable read) {
        String message = assertThrows(UnsafeWheelException.class, read).getMessage();
        assertTrue(message.startsWith(NAME + ": "), message);
        return message;
    }

    // The fuzz tests start from these wheels: they must pass, or the fuzzers would only reach the first refusal.
    @Test
    void theFuzzSeedsAreGoodWheels() throws Exception {
        List<byte[]> seeds = WheelBytesFuzzTest.seeds().toList();
        assertEquals(9, seeds.size()); // three wheels built by TestWheels, and the six models of them laid out
        for (byte[] seed : seeds) {
            Path p = write(seed);
            WheelVerifier.verify(p);
        }
    }

    // Was: java.util.zip.ZipException "Archive is not a ZIP archive" out of properName.
    @Test
    void properName_refusesAFileThatIsNoZip() throws Exception {
        Path p = write(new byte[0]);
        assertTrue(refused(() -> WheelSource.properName(p)).contains("it is not a readable zip archive"));
        Path q = write("not a zip".getBytes(StandardCharsets.UTF_8));
        assertTrue(refused(() -> WheelSource.properName(q)).contains("it is not a readable zip archive"));
    }

    @Test
    void properName_namesAGoodWheel() throws Exception {
        Path p = write(TestWheels.build(TestWheels.pure("pkg", "1.0")));
        assertEquals(NAME, WheelSource.properName(p));
    }

    // Was: the tags of WHEEL put into the file name as they are: 'pkg-1.0-py3-none-../../evil.whl', a path that the
    // bundle goal resolved against its folder.
    @Test
    void properName_refusesTagsThatWouldMakeAPath() throws Exception {
        Path p = write(TestWheels.build(new TestWheels.Spec("pkg", "1.0", "py3-none-../../evil", List.of(), null,
                Map.of("pkg/__init__.py", ""))));
        assertTrue(refused(() -> WheelSource.properName(p)).contains("no safe wheel file name"));
    }

    // Was: ArrayIndexOutOfBoundsException on a tag without three parts.
    @Test
    void properName_refusesATagWithoutThreeParts() throws Exception {
        Path p = write(TestWheels.build(new TestWheels.Spec("pkg", "1.0", "py3", List.of(), null,
                Map.of("pkg/__init__.py", ""))));
        assertTrue(refused(() -> WheelSource.properName(p)).contains("a tag that is not python-abi-platform: 'py3'"));
    }

    // Was: java.util.zip.ZipException "invalid block type" out of WheelSource.open, reading RECORD.
    @Test
    void open_refusesARecordWhoseDeflateStreamIsCorrupt() throws Exception {
        byte[] z = TestWheels.build(TestWheels.pure("pkg", "1.0"));
        byte[] record = "pkg-1.0.dist-info/RECORD".getBytes(StandardCharsets.UTF_8);
        int data = Bytes.indexOf(z, record) + record.length; // the local header's name, then its data (no extra)
        z[data] = 0x07; // a final block of type 3, which does not exist
        Path p = write(z);
        assertTrue(refused(() -> WheelSource.open(p)).contains("entry 'pkg-1.0.dist-info/RECORD' cannot be read"));
        refused(() -> WheelVerifier.verify(p));
    }

    // Was: java.io.EOFException out of isPure, from java.util.zip.ZipFile reading a zip comment longer than the file.
    @Test
    void isPure_refusesAZipCommentLongerThanTheFile() throws Exception {
        byte[] z = TestWheels.build(TestWheels.pure("pkg", "1.0"));
        z[z.length - 2] = 1; // the end-of-central-directory record's comment length: 1, and no comment follows
        Path p = write(z);
        refused(() -> WheelSource.isPure(p));
    }

    // Was: java.lang.NoClassDefFoundError (com/github/luben/zstd/ZstdInputStream) out of properName, which asked
    // commons-compress to read a WHEEL file compressed with zstd, an optional codec pybundle does not ship.
    @Test
    void properName_refusesAWheelFileCompressedWithZstd() throws Exception {
        byte[] z = TestWheels.build(TestWheels.pure("pkg", "1.0"));
        byte[] wheel = "pkg-1.0.dist-info/WHEEL".getBytes(StandardCharsets.UTF_8);
        int local = Bytes.indexOf(z, wheel); // the local header's name, then the central directory's
        int central = local + 1 + Bytes.indexOf(java.util.Arrays.copyOfRange(z, local + 1, z.length), wheel);
        z[local - 30 + 8] = 93; // the compression method: 93, zstd
        z[central - 46 + 10] = 93;
        Path p = write(z);
        assertTrue(refused(() -> WheelSource.properName(p)).contains("entry 'pkg-1.0.dist-info/WHEEL' is compressed"
                + " with ZSTD"));
        assertTrue(refused(() -> WheelSource.open(p)).contains("is compressed with ZSTD"));
    }
}

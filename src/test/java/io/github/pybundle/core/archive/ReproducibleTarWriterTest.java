package io.github.pybundle.core.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pybundle.testing.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducibleTarWriterTest {
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
    private static final String LONG = "lib/python3.11/site-packages/" + "deeply/nested/".repeat(8) + "module_name.py";
    private static final String UNICODE = "share/données/naïve-файл.txt";

    @TempDir
    Path dir;

    /** A zip with one deflated and one stored entry, as a wheel holds them. */
    private Path zip(String deflatedText, String storedText) throws Exception {
        Path z = dir.resolve("src.zip");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(z))) {
            out.putNextEntry(new java.util.zip.ZipEntry("big.txt"));
            out.write(deflatedText.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            byte[] stored = storedText.getBytes(StandardCharsets.UTF_8);
            java.util.zip.ZipEntry s = new java.util.zip.ZipEntry("stored.txt");
            s.setMethod(java.util.zip.ZipEntry.STORED);
            s.setSize(stored.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(stored);
            s.setCrc(crc.getValue());
            out.putNextEntry(s);
            out.write(stored);
            out.closeEntry();
        }
        return z;
    }

    private static String text() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20000; i++) {
            sb.append("line ").append(i).append(": the quick brown fox\n");
        }
        return sb.toString();
    }

    private Path write(Path zipFile, String name) throws Exception {
        Path out = dir.resolve(name);
        try (ZipFile z = ZipFile.builder().setPath(zipFile).get();
             ReproducibleTarWriter tar = new ReproducibleTarWriter(out, T)) {
            tar.addDirectory("data/");
            ZipArchiveEntry big = z.getEntry("big.txt");
            try (InputStream raw = z.getRawInputStream(big)) {
                tar.addRaw("data/big.txt", big, raw, 0100644);
            }
            ZipArchiveEntry stored = z.getEntry("stored.txt");
            try (InputStream raw = z.getRawInputStream(stored)) {
                tar.addRaw("data/stored.txt", stored, raw, 0100755);
            }
            tar.addBytes(LONG, "x = 1\n".getBytes(StandardCharsets.UTF_8), 0100644);
            tar.addBytes(UNICODE, "bonjour\n".getBytes(StandardCharsets.UTF_8), 0100644);
            tar.commit();
        }
        return out;
    }

    private static Map<String, String> readWithJava(Path tgz) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(tgz)))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName() + "|" + Integer.toOctalString(e.getMode()),
                        e.isDirectory() ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void addRaw_copiesTheDeflatedBytesAsAGzipMemberThatEveryReaderReads() throws Exception {
        String big = text();
        Path src = zip(big, "#!/bin/sh\necho stored\n");
        Path tgz = write(src, "out.tar.gz");

        byte[] rawDeflate;
        try (ZipFile z = ZipFile.builder().setPath(src).get(); InputStream raw = z.getRawInputStream(
                z.getEntry("big.txt"))) {
            rawDeflate = raw.readAllBytes();
        }
        assertTrue(Bytes.indexOf(Files.readAllBytes(tgz), rawDeflate) > 0,
                "the entry's deflated bytes are in the archive as they were in the zip (not recompressed)");

        Map<String, String> java = readWithJava(tgz);
        assertEquals(Map.of("data/|755", "", "data/big.txt|644", big, "data/stored.txt|755",
                "#!/bin/sh\necho stored\n", LONG + "|644", "x = 1\n", UNICODE + "|644", "bonjour\n"), java);
    }

    @Test
    void gnuTarAndPythonTarfile_readNamesModesAndContent() throws Exception {
        String big = text();
        Path tgz = write(zip(big, "stored\n"), "out.tar.gz");
        assumeTrue(works("tar", "--version") && works("gzip", "--version"), "Skipped: GNU tar or gzip not on PATH");
        assertEquals("0:", run(dir, "gzip", "-t", tgz.toString()), "gzip -t: every member's CRC and size agree");
        Path x = Files.createDirectories(dir.resolve("x"));
        assertEquals("0:", run(x, "tar", "xzf", tgz.toString()));
        assertEquals(big, Files.readString(x.resolve("data/big.txt")));
        assertEquals("x = 1\n", Files.readString(x.resolve(LONG)));
        assertEquals("bonjour\n", Files.readString(x.resolve(UNICODE)));
        assertTrue(Files.isExecutable(x.resolve("data/stored.txt")));
        assumeTrue(works("python3", "--version"), "Skipped: python3 not on PATH");
        String py = run(dir, "python3", "-c", "import sys, tarfile\n"
                + "with tarfile.open(sys.argv[1]) as t:\n"
                + "    for m in t.getmembers():\n"
                + "        print(m.name, oct(m.mode), m.size, m.mtime, m.uid, m.uname or '-')\n", tgz.toString());
        assertEquals("0:data 0o755 0 1704067200 0 -\n"
                + "data/big.txt 0o644 " + big.length() + " 1704067200 0 -\n"
                + "data/stored.txt 0o755 7 1704067200 0 -\n"
                + LONG + " 0o644 6 1704067200 0 -\n"
                + UNICODE + " 0o644 8 1704067200 0 -\n", py);
    }

    @Test
    void theDigestComputedWhileWriting_isTheFilesSha256_andNoneBeforeTheCommit() throws Exception {
        Path src = zip(text(), "stored\n");
        Path out = dir.resolve("digest.tar.gz");
        try (ZipFile z = ZipFile.builder().setPath(src).get();
             ReproducibleTarWriter tar = new ReproducibleTarWriter(out, T)) {
            ZipArchiveEntry big = z.getEntry("big.txt");
            try (InputStream raw = z.getRawInputStream(big)) {
                tar.addRaw("data/big.txt", big, raw, 0100644);
            }
            tar.addBytes("x.py", "x = 1\n".getBytes(StandardCharsets.UTF_8), 0100644);
            assertEquals(null, tar.writtenSha256(), "not known before the archive is whole");
            tar.commit();
            assertEquals(io.github.pybundle.core.spec.dist.Digests.sha256Hex(out), tar.writtenSha256());
        }
        Path plain = dir.resolve("plain.tar.gz");
        try (ReproducibleTarWriter tar = new ReproducibleTarWriter(plain, T, false)) {
            tar.addBytes("x.py", "x = 1\n".getBytes(StandardCharsets.UTF_8), 0100644);
            tar.commit();
            assertEquals(null, tar.writtenSha256(), "not asked for: not computed");
        }
    }

    @Test
    void output_isByteIdenticalForTheSameInput() throws Exception {
        Path src = zip(text(), "stored\n");
        assertArrayEquals(Files.readAllBytes(write(src, "a.tar.gz")), Files.readAllBytes(write(src, "b.tar.gz")));
    }

    @Test
    void addStored_writesCompressedDataAsStoredBlocksThatGzipTarAndJavaRead() throws Exception {
        byte[] noise = new byte[3 * GzipMembers.MAX_STORED_BLOCK + 17]; // several blocks and a short last one
        new java.util.Random(7).nextBytes(noise);
        Path tgz = dir.resolve("stored.tar.gz");
        try (ReproducibleTarWriter tar = new ReproducibleTarWriter(tgz, T)) {
            tar.addBytes("a.txt", "before\n".getBytes(StandardCharsets.UTF_8), 0100644);
            tar.addStored("app.zip", new java.io.ByteArrayInputStream(noise), noise.length, 0100644);
            tar.addStored("empty.jar", new java.io.ByteArrayInputStream(new byte[0]), 0, 0100644);
            tar.addBytes("z.sh", "after\n".getBytes(StandardCharsets.UTF_8), 0100755);
            tar.commit();
        }
        byte[] archive = Files.readAllBytes(tgz);
        assertTrue(Bytes.indexOf(archive, java.util.Arrays.copyOfRange(noise, 0, 4096)) > 0, "copied as it is");
        assertTrue(archive.length < noise.length + 1024, "a stored block costs 5 bytes: " + archive.length);
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(tgz)))) {
            assertEquals("a.txt", in.getNextEntry().getName());
            assertEquals("app.zip", in.getNextEntry().getName());
            assertArrayEquals(noise, in.readAllBytes());
            TarArchiveEntry empty = in.getNextEntry();
            assertEquals("empty.jar", empty.getName());
            assertEquals(0, empty.getSize());
            assertEquals("z.sh", in.getNextEntry().getName());
            assertEquals("after\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assumeTrue(works("tar", "--version") && works("gzip", "--version"), "Skipped: GNU tar or gzip not on PATH");
        assertEquals("0:", run(dir, "gzip", "-t", tgz.toString()), "gzip -t: every member's CRC and size agree");
        Path x = Files.createDirectories(dir.resolve("x"));
        assertEquals("0:", run(x, "tar", "xzf", tgz.toString()));
        assertArrayEquals(noise, Files.readAllBytes(x.resolve("app.zip")));
    }

    @Test
    void addStored_refusesContentShorterOrLongerThanDeclared() throws Exception {
        try (ReproducibleTarWriter tar = new ReproducibleTarWriter(dir.resolve("short.tar.gz"), T)) {
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> tar.addStored("a.zip", new java.io.ByteArrayInputStream(new byte[10]), 11, 0100644));
            assertTrue(e.getMessage().startsWith("a.zip: "), e.getMessage());
        }
        try (ReproducibleTarWriter tar = new ReproducibleTarWriter(dir.resolve("long.tar.gz"), T)) {
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> tar.addStored("b.zip", new java.io.ByteArrayInputStream(new byte[10]), 9, 0100644));
            assertEquals("b.zip: more than the declared 9 bytes", e.getMessage());
        }
    }

    @Test
    void paxRecord_lengthCountsItselfAcrossDigitBoundaries() {
        for (int n = 0; n < 1100; n++) {
            String value = "v".repeat(n);
            byte[] r = ReproducibleTarWriter.paxRecord("path", value);
            String s = new String(r, StandardCharsets.UTF_8);
            assertEquals(Integer.parseInt(s.substring(0, s.indexOf(' '))), r.length, s);
            assertTrue(s.endsWith(" path=" + value + "\n"));
        }
    }

    @Test
    void close_withoutCommitLeavesNothing() throws Exception {
        Path out = dir.resolve("gone/out.tar.gz");
        try (ReproducibleTarWriter tar = new ReproducibleTarWriter(out, T)) {
            tar.addBytes("a.txt", new byte[] {1, 2, 3}, 0100644);
        }
        try (var s = Files.list(out.getParent())) {
            assertEquals(0, s.count(), "no archive and no temporary file");
        }
    }

    private static boolean works(String... cmd) {
        try {
            return run(Path.of("."), cmd).startsWith("0:");
        } catch (Exception e) {
            return false;
        }
    }

    private static String run(Path cwd, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        int rc = p.waitFor();
        return rc + ":" + out.toString(StandardCharsets.UTF_8);
    }
}

package io.github.pybundle.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files by format: pickles, joblib's zlib and gzip compression, skops' schema.json, and the unchecked. */
class ModelFileTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] b) throws Exception {
        return Files.write(dir.resolve(name), b);
    }

    private static byte[] compressed(byte[] b, boolean gzip) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = gzip ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void picklesAndCompressedJoblibFiles_areRead() throws Exception {
        byte[] tree = PickleReaderTest.tree(4);
        for (Path f : new Path[] {write("clf.pkl", tree), write("clf.pickle", PickleReaderTest.tree(0)),
            write("clf.joblib", tree), write("z.joblib", compressed(tree, false)),
            write("g.joblib", compressed(tree, true))}) {
            ModelFile m = ModelFile.read(f);
            assertNull(m.unchecked(), f.toString());
            assertEquals(Set.of("1.3.2"), m.sklearnVersions(), f.toString());
            assertTrue(m.modules().contains("numpy._core.multiarray"), f + ": " + m.modules());
        }
    }

    @Test
    void otherCompressionsAndFormats_areUnchecked() throws Exception {
        assertEquals("compressed with lz4, which pybundle does not read", ModelFile.read(write("a.joblib",
                HexFormat.of().parseHex("04224d18640000"))).unchecked());
        assertEquals("compressed with xz, which pybundle does not read", ModelFile.read(write("b.joblib",
                HexFormat.of().parseHex("fd377a585a000004"))).unchecked());
        assertEquals("not a pickle, joblib or skops file", ModelFile.read(write("m.onnx", new byte[] {8, 1}))
                .unchecked());
        assertEquals("not a pickle, joblib or skops file", ModelFile.read(write("vocab.txt", "a\n".getBytes(
                StandardCharsets.UTF_8))).unchecked());
    }

    @Test
    void aCorruptCompressedStream_isMalformed() throws Exception {
        byte[] z = compressed(PickleReaderTest.tree(4), false);
        z[5] ^= (byte) 0xff;
        z[6] ^= (byte) 0xff;
        Path f = write("bad.joblib", z);
        assertThrows(PickleReader.MalformedPickleException.class, () -> ModelFile.read(f));
    }

    @Test
    void skops_readsTheSchemasModulesAndVersion() throws Exception {
        String schema = "{\"__class__\": \"DecisionTreeClassifier\", \"__module__\": \"sklearn.tree._classes\","
                + " \"__loader__\": \"ObjectNode\", \"content\": {\"__class__\": \"dict\", \"__module__\": \"builtins\","
                + " \"__loader__\": \"DictNode\", \"content\": {\"_sklearn_version\": {\"__class__\": \"str\","
                + " \"__module__\": \"builtins\", \"__loader__\": \"JsonNode\", \"content\": \"\\\"1.3.2\\\"\","
                + " \"is_json\": true}}}, \"protocol\": 2, \"_skops_version\": \"0.10.0\"}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("schema.json"));
            zip.write(schema.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        ModelFile m = ModelFile.read(write("clf.skops", out.toByteArray()));
        assertEquals(Set.of("sklearn.tree._classes", "builtins"), m.modules());
        assertEquals(Set.of("1.3.2"), m.sklearnVersions());
        assertThrows(PickleReader.MalformedPickleException.class, () -> ModelFile.read(write("x.skops",
                "not a zip".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void skops_aZipWhoseNamesAreNotUtf8IsAMalformedModelNotACrash() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("schema.json"));
            zip.write("{}".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("caf\u00e9.npy")); // Java writes UTF-8 and sets the flag
            zip.closeEntry();
        }
        byte[] bytes = out.toByteArray();
        byte[] utf8 = "caf\u00e9".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + utf8.length <= bytes.length; i++) { // é (C3 A9) becomes C3 28: not UTF-8, same length
            if (Arrays.equals(bytes, i, i + utf8.length, utf8, 0, utf8.length)) {
                bytes[i + utf8.length - 1] = 0x28;
            }
        }
        PickleReader.MalformedPickleException e = assertThrows(PickleReader.MalformedPickleException.class,
                () -> ModelFile.read(write("bad.skops", bytes)));
        assertTrue(e.getMessage().startsWith("it is no skops file"), e.getMessage());
    }
}

package io.github.pybundle.core.wheel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.bundle.PyFilesZipBuilder;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.source.PythonSourceTree;
import io.github.pybundle.maven.PomWords;
import io.github.pybundle.testing.CraftedWheel;
import io.github.pybundle.testing.SourceTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The attacks of the 0.1.0 audit on the wheel reader and the archive builders, each reproduced and refused. */
class HostileWheelTest {
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
    private static final EnvironmentArchiveBuilder.Interpreter PY311 =
            new EnvironmentArchiveBuilder.Interpreter(3, 11, "python3");

    @TempDir
    Path dir;

    private Path write(CraftedWheel w) throws Exception {
        return write(w.filename(), w.build());
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve("wheels").resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return p;
    }

    private static CraftedWheel victim() {
        return new CraftedWheel("victim", "1.0").file("victim/__init__.py", "print('victim')\n");
    }

    private PythonSourceTree project() throws Exception {
        Path src = SourceTrees.sample(dir.resolve("project"));
        return PythonSourceTree.scan(src, src.resolve("main.py"));
    }

    private static UnsafeWheelException refused(Path wheel) {
        return assertThrows(UnsafeWheelException.class, () -> WheelVerifier.verify(wheel));
    }

    @Test
    void aNulInAnEntryNameCannotShadowAnotherWheelsFile() throws Exception {
        Path victim = write(victim());
        Path attacker = write(new CraftedWheel("attacker", "1.0").file("victim/__init__.py\0", "print('pwned')\n"));
        Path env = dir.resolve("out/app-pyenv.tar.gz");
        Path zip = dir.resolve("out/app-pyfiles.zip");
        UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> EnvironmentArchiveBuilder.build(
                new EnvironmentArchiveBuilder.Request(List.of(victim, attacker), PY311,
                        EnvironmentArchiveBuilder.Format.TAR_GZ, env, T, WheelChecks.defaults())));
        assertTrue(e.getMessage().startsWith("attacker-1.0-py3-none-any.whl: entry 'victim/__init__.py\\u0000' has a"
                + " control character in its name"), e.getMessage());
        assertThrows(UnsafeWheelException.class, () -> PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(
                project(), List.of(victim, attacker), zip, T, WheelChecks.defaults())));
        assertFalse(Files.exists(env), "no archive");
        assertFalse(Files.exists(zip), "no zip");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkg/\u001b[31mred.py", "pkg/new\nline.py", "pkg/del\u007f.py", "pkg/rtl\u202e.py"})
    void controlCharactersInEntryNamesAreRefused(String name) throws Exception {
        UnsafeWheelException e = refused(write(new CraftedWheel("ctl", "1.0").file(name, "x = 1\n")));
        assertTrue(e.getMessage().contains("control character"), e.getMessage());
        assertFalse(e.getMessage().contains("\n" + "line.py"), "the name is printed escaped: " + e.getMessage());
    }

    @Test
    void aNameThatIsNotUtf8IsRefusedNotTurnedIntoReplacementCharacters() throws Exception {
        // Latin-1 bytes without the UTF-8 flag: a reader decodes them as CP437.
        CraftedWheel latin = new CraftedWheel("latin", "1.0").file("latin/caf\u00e9.py", "x = 1\n")
                .nameCharset(StandardCharsets.ISO_8859_1);
        byte[] bytes = latin.build();
        UnsafeWheelException e = refused(write(latin.filename(), bytes));
        assertTrue(e.getMessage().contains("non-ASCII name not marked as UTF-8"), e.getMessage());
        // The same bytes marked as UTF-8: they do not decode.
        byte[] flagged = CraftedWheel.patchHeaders(bytes, "latin/caf\u00e9.py".getBytes(StandardCharsets.ISO_8859_1),
                6, 8, 0x800);
        Path bad = write(latin.filename(), flagged);
        e = refused(bad);
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
        // The quick reads (java.util.zip) report it too, naming the wheel, never an IllegalArgumentException.
        e = assertThrows(UnsafeWheelException.class, () -> WheelSource.properName(bad));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
        e = assertThrows(UnsafeWheelException.class, () -> WheelSource.isPure(bad));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
        e = assertThrows(UnsafeWheelException.class, () -> WheelSource.readMetadata(bad));
        assertTrue(e.getMessage().startsWith(latin.filename() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
        Path maven = write("latin-1.0.0.whl", flagged);
        e = assertThrows(UnsafeWheelException.class, () -> WheelSource.properName(maven));
        assertTrue(e.getMessage().startsWith("latin-1.0.0.whl: it is not a readable zip archive ("), e.getMessage());
        // Real UTF-8, flagged (Java sets the flag): accepted.
        assertDoesNotThrow(() -> WheelVerifier.verify(write(new CraftedWheel("utf", "1.0")
                .file("utf/caf\u00e9.py", "x = 1\n"))));
    }

    @Test
    void anEntryCommentThatIsNotUtf8IsIgnoredByEveryReadAsByTheFullCheck() throws Exception {
        // Found by WheelBytesFuzzTest: java.util.zip decodes entry comments when it lists the entries, and threw
        // IllegalArgumentException for bytes flagged UTF-8 that are not. Installers ignore comments; so does pybundle.
        CraftedWheel w = new CraftedWheel("remark", "1.0").file("remark/__init__.py", "x = 1\n")
                .comment("remark/__init__.py", "caf\u00e9");
        byte[] bytes = w.build();
        byte[] utf8 = "caf\u00e9".getBytes(StandardCharsets.UTF_8);
        int patched = 0;
        for (int i = 0; i + utf8.length <= bytes.length; i++) { // é (C3 A9) becomes C3 28: not UTF-8, same length
            if (Arrays.equals(bytes, i, i + utf8.length, utf8, 0, utf8.length)) {
                bytes[i + utf8.length - 1] = 0x28;
                patched++;
            }
        }
        assertEquals(1, patched, "the comment is in the central directory only");
        Path wheel = write(w.filename(), bytes);
        assertDoesNotThrow(() -> WheelVerifier.verify(wheel));
        assertEquals(w.filename(), WheelSource.properName(wheel));
        assertTrue(WheelSource.isPure(wheel));
        assertTrue(new String(WheelSource.readMetadata(wheel), StandardCharsets.UTF_8).contains("Name: remark"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 6, 9, 12, 14, 93, 95, 99})
    void everyCompressionMethodButStoredAndDeflatedIsRefusedNamingTheEntry(int method) throws Exception {
        CraftedWheel w = new CraftedWheel("packed", "1.0").file("packed/__init__.py", "x = 1\n");
        Path wheel = write(w.filename(), CraftedWheel.method(w.build(), "packed/__init__.py", method));
        UnsafeWheelException e = refused(wheel);
        assertTrue(e.getMessage().startsWith("packed-1.0-py3-none-any.whl: entry 'packed/__init__.py' is compressed"
                + " with "), e.getMessage());
        Path zip = dir.resolve("out/app-pyfiles.zip");
        assertThrows(UnsafeWheelException.class, () -> PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(
                project(), List.of(wheel), zip, T, WheelChecks.defaults())));
        assertFalse(Files.exists(zip), "bzip2 and friends are never copied raw into the zip");
    }

    @Test
    void anEncryptedEntryIsRefused() throws Exception {
        CraftedWheel w = new CraftedWheel("secret", "1.0").file("secret/__init__.py", "x = 1\n");
        UnsafeWheelException e = refused(write(w.filename(), CraftedWheel.flags(w.build(), "secret/__init__.py",
                0x0001)));
        assertTrue(e.getMessage().contains("entry 'secret/__init__.py' is encrypted"), e.getMessage());
    }

    @Test
    void wheelVersionIsCheckedAsTheSpecSays() throws Exception {
        String base = "Generator: crafted\nRoot-Is-Purelib: true\nTag: py3-none-any\n";
        UnsafeWheelException e = refused(write(new CraftedWheel("future", "1.0").file("future/a.py", "")
                .wheelFile("Wheel-Version: 2.0\n" + base)));
        assertTrue(e.getMessage().contains("Wheel-Version 2.0 is newer than 1.x"), e.getMessage());
        e = refused(write(new CraftedWheel("junk", "1.0").file("junk/a.py", "").wheelFile("Wheel-Version: abc\n"
                + base)));
        assertTrue(e.getMessage().contains("unreadable Wheel-Version 'abc'"), e.getMessage());
        e = refused(write(new CraftedWheel("none", "1.0").file("none/a.py", "").wheelFile(base)));
        assertTrue(e.getMessage().contains("has no Wheel-Version"), e.getMessage());

        Path minor = write(new CraftedWheel("minor", "1.0").file("minor/a.py", "").wheelFile("Wheel-Version: 1.9\n"
                + base));
        List<String> warnings = new ArrayList<>();
        BuildListener listener = (level, message) -> warnings.add(level + " " + message);
        PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(project(), List.of(minor), dir.resolve("out/minor.zip"),
                T, new WheelChecks(WheelVerifier.Memo.none(), WheelSource.DEFAULT_MAX_INFLATED,
                        WheelChecks.DEFAULT_MAX_INFLATED_ARCHIVE, listener)));
        assertEquals(List.of("WARN minor-1.0-py3-none-any.whl: Wheel-Version 1.9 is newer than 1.0; installing it as"
                + " 1.0"), warnings);
    }

    @Test
    void ambiguousArchivesAreRefused() throws Exception {
        byte[] good = new CraftedWheel("amb", "1.0").file("amb/__init__.py", "x = 1\n").build();
        byte[] other = new CraftedWheel("amb", "1.0").file("amb/__init__.py", "import os  # other code\n").build();

        byte[] appended = concat(good, "trailing bytes".getBytes(StandardCharsets.US_ASCII));
        assertTrue(refused(write("amb-1.0-py3-none-any.whl", appended)).getMessage()
                .contains("data after its end-of-central-directory record"));

        byte[] prepended = concat(other, good); // a reader from the first local header sees the other wheel
        UnsafeWheelException e = refused(write("amb-1.0-py3-none-any.whl", prepended));
        assertTrue(e.getMessage().contains("bytes before its first entry"), e.getMessage());

        // A zip whose comment holds a second archive.
        byte[] withComment = good.clone();
        int eocd = withComment.length - 22;
        byte[] comment = java.util.Arrays.copyOf(other, Math.min(other.length, 60000));
        withComment[eocd + 20] = (byte) comment.length;
        withComment[eocd + 21] = (byte) (comment.length >> 8);
        e = refused(write("amb-1.0-py3-none-any.whl", concat(withComment, comment)));
        assertTrue(e.getMessage().contains("comment holds zip records"), e.getMessage());
    }

    @Test
    void caseOnlyCollisionsAreAnErrorForTheEnvironmentAndAWarningForTheZip() throws Exception {
        Path upper = write(new CraftedWheel("upper", "1.0").file("Shared/mod.py", "A = 1\n"));
        Path lower = write(new CraftedWheel("lower", "1.0").file("shared/mod.py", "A = 2\n"));
        Path env = dir.resolve("out/app-pyenv.tar.gz");
        UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> EnvironmentArchiveBuilder.build(
                new EnvironmentArchiveBuilder.Request(List.of(upper, lower), PY311,
                        EnvironmentArchiveBuilder.Format.TAR_GZ, env, T, WheelChecks.defaults())));
        assertTrue(e.getMessage().contains("'lib/python3.11/site-packages/shared/mod.py' differs from"
                + " 'lib/python3.11/site-packages/Shared/mod.py' (from upper-1.0-py3-none-any.whl) only in case"),
                e.getMessage());
        assertFalse(Files.exists(env));
        List<String> warnings = new ArrayList<>();
        Path zip = PyFilesZipBuilder.build(new PyFilesZipBuilder.Request(project(), List.of(upper, lower),
                dir.resolve("out/app-pyfiles.zip"), T, new WheelChecks(WheelVerifier.Memo.none(),
                        WheelSource.DEFAULT_MAX_INFLATED, WheelChecks.DEFAULT_MAX_INFLATED_ARCHIVE,
                        (level, message) -> warnings.add(message))));
        assertTrue(Files.exists(zip));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("'shared/mod.py' differs from 'Shared/mod.py' only in case"),
                warnings.toString());
    }

    @Test
    void strongerRecordHashesAreAcceptedAndWeakerOnesRefused() throws Exception {
        for (String algorithm : List.of("sha384", "sha512")) {
            Path w = write(new CraftedWheel("strong" + algorithm.substring(3), "1.0").recordAlgorithm(algorithm)
                    .file("strong/__init__.py", "x = 1\n"));
            assertDoesNotThrow(() -> WheelVerifier.verify(w), algorithm);
        }
        for (String algorithm : List.of("md5", "sha1")) {
            UnsafeWheelException e = refused(write(new CraftedWheel("weak", "1.0").recordAlgorithm(algorithm)
                    .file("weak/__init__.py", "x = 1\n")));
            assertTrue(e.getMessage().contains("RECORD hash of an unsupported algorithm: " + algorithm + "="),
                    e.getMessage());
        }
        // A sha512 RECORD that does not match is still caught.
        CraftedWheel lying = new CraftedWheel("lying", "1.0").recordAlgorithm("sha512").file("lying/a.py", "x = 1\n");
        String otherDigest = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.security.MessageDigest.getInstance("SHA-512").digest("x = 2\n".getBytes(StandardCharsets.UTF_8)));
        UnsafeWheelException e = refused(write(lying.filename(), CraftedWheel.rewriteRecord(lying, record -> record.replaceFirst(
                "lying/a.py,sha512=[^,]*,", "lying/a.py,sha512=" + otherDigest + ","))));
        assertTrue(e.getMessage().contains("entry 'lying/a.py' does not match its RECORD hash (sha512="
                + otherDigest), e.getMessage());
    }

    @Test
    void inflatedSizeIsLimitedPerWheelAndPerOutput() throws Exception {
        Path w = write(new CraftedWheel("bomb", "1.0").file("bomb/__init__.py", "x".repeat(4000)));
        UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> WheelSource.open(w, 2000));
        assertTrue(e.getMessage().startsWith("bomb-1.0-py3-none-any.whl: it inflates to more than 2000 bytes"),
                e.getMessage());
        assertTrue(PomWords.render(String.join(" ", e.hints())).contains("<maxInflatedWheelSize>"));
        Path w2 = write(new CraftedWheel("bomb2", "1.0").file("bomb2/__init__.py", "y".repeat(4000)));
        Path env = dir.resolve("out/app-pyenv.tar.gz");
        PyBundleException total = assertThrows(PyBundleException.class, () -> EnvironmentArchiveBuilder.build(
                new EnvironmentArchiveBuilder.Request(List.of(w, w2), PY311, EnvironmentArchiveBuilder.Format.TAR_GZ,
                        env, T, new WheelChecks(WheelVerifier.Memo.none(), 1_000_000, 6000, BuildListener.silent()))));
        assertTrue(total.getMessage().startsWith("the wheels of the environment archive inflate to"),
                total.getMessage());
        assertFalse(Files.exists(env));
        assertEquals(8L << 30, WheelChecks.parseSize("maxInflatedWheelSize", "8GiB"));
        assertEquals(512L << 20, WheelChecks.parseSize("x", "512m"));
        assertEquals(1234, WheelChecks.parseSize("x", "1234"));
        assertThrows(PyBundleException.class, () -> WheelChecks.parseSize("x", "lots"));
    }

    @Test
    void aMavenNamedWheelThatTheQuickReadCannotOpenIsRefusedForItsZipNotItsName() throws Exception {
        CraftedWheel w = new CraftedWheel("shared_lib", "1.0").file("shared_lib/__init__.py", "x = 1\n");
        Path maven = write("shared-lib-1.0.0.whl", CraftedWheel.method(w.build(), "shared_lib/__init__.py", 93));
        UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> WheelSource.properName(maven));
        assertTrue(e.getMessage().startsWith("shared-lib-1.0.0.whl: it is not a readable zip archive ("),
                e.getMessage());
    }

    @Test
    void theUsersWheelLimitIsTheOneTheCheckApplies() throws Exception {
        Path w = write(new CraftedWheel("sized", "1.0").file("sized/__init__.py", "z".repeat(4000)));
        WheelChecks small = new WheelChecks(WheelVerifier.Memo.none(), 2000, WheelChecks.DEFAULT_MAX_INFLATED_ARCHIVE,
                BuildListener.silent());
        UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> WheelVerifier.verify(w, small));
        assertTrue(e.getMessage().contains("it inflates to more than 2000 bytes"), e.getMessage());
        WheelChecks large = new WheelChecks(WheelVerifier.Memo.none(), 64L << 30, 64L << 30, BuildListener.silent());
        assertDoesNotThrow(() -> WheelVerifier.verify(w, large));
    }

    @Test
    void aBrokenRecordSizeIsAClearErrorNotANumberFormatException() throws Exception {
        CraftedWheel w = new CraftedWheel("badsize", "1.0").file("badsize/a.py", "x = 1\n");
        // RECORD is stored deflated: the wheel is rebuilt with a non-numeric size rather than patched.
        byte[] bytes = CraftedWheel.rewriteRecord(w, record -> record.replaceFirst("(badsize/a.py,sha256=[^,]*,)6", "$1six"));
        UnsafeWheelException e = refused(write(w.filename(), bytes));
        assertTrue(e.getMessage().contains("unreadable size in RECORD: 'six'"), e.getMessage());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package io.github.pybundle.core.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.testing.ScriptedServer;
import io.github.pybundle.testing.TestPythonArchives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonArchiveTest {
    private static final long LIMIT = 1L << 30;
    private static final Target PY38 = target("3.8", "manylinux2014_x86_64");

    @TempDir
    Path dir;

    private static Target target(String version, String platform) {
        return Target.of(new Target.Spec(version, null, null, List.of(), List.of(platform), Map.of()));
    }

    private PythonArchive.Shipped inspect(TestPythonArchives archive, Target target) throws Exception {
        Path file = archive.writeTo(dir.resolve("cpython-install_only.tar.gz"));
        return PythonArchive.inspect(file, "cpython.tar.gz", target, LIMIT);
    }

    @Test
    void inspect_readsTheVersionAndExecutableOfAPythonBuildStandaloneArchive() throws Exception {
        PythonArchive.Shipped s = inspect(TestPythonArchives.installOnly("3.8.20"), PY38);
        assertEquals("3.8.20", s.version());
        assertEquals("3.8", s.majorMinor());
        assertEquals("python/bin/python3.8", s.executable());
        assertEquals(Digests.sha256Hex(s.archive()), s.sha256());
        assertTrue(s.inflatedSize() > 1000, "the size of its files: " + s.inflatedSize());
    }

    @Test
    void inspect_readsPep739BuildDetailsOrTheLibDirectoryWhenThereIsNoPythonJson() throws Exception {
        TestPythonArchives pep739 = TestPythonArchives.installOnly("3.8.20").without("python/PYTHON.json")
                .file("python/build-details.json", "{\"schema_version\": \"1.0\", \"language\": {\"version\":"
                        + " \"3.8\"}}", 0644);
        assertEquals("3.8", inspect(pep739, PY38).version());
        TestPythonArchives bare = TestPythonArchives.installOnly("3.8.20").without("python/PYTHON.json");
        assertEquals("3.8", inspect(bare, PY38).version());
    }

    @Test
    void inspect_refusesAnArchiveOfAnotherPythonNamingBothVersions() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> inspect(TestPythonArchives.installOnly("3.11.9"), PY38));
        assertEquals("{@target.pythonArchive} cpython.tar.gz holds Python 3.11.9, but {@target.pythonVersion} is 3.8",
                e.getMessage());
        assertEquals("use the archive of Python 3.8, or set {@target.pythonVersion} to 3.11 (the wheels are chosen for"
                + " it)", e.hints().get(0));
    }

    @Test
    void inspect_refusesAnInterpreterBuiltForAnotherArchitecture() throws Exception {
        byte[] arm = Files.readAllBytes(Path.of("/bin/sh"));
        arm[18] = (byte) 183; // EM_AARCH64
        arm[19] = 0;
        TestPythonArchives a = TestPythonArchives.installOnly("3.8.20").without("python/bin/python3.8")
                .file("python/bin/python3.8", arm, 0755);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> inspect(a, PY38));
        assertEquals("{@target.pythonArchive} cpython.tar.gz is built for aarch64, but the target's platform"
                + " manylinux2014_x86_64 is x86_64", e.getMessage());
        // ... and the same archive is right for an aarch64 cluster
        assertEquals("3.8.20", inspect(a, target("3.8", "manylinux2014_aarch64")).version());
    }

    @Test
    void inspect_refusesWhatIsNotALinuxInterpreterInTheExpectedLayout() {
        assertRefused(a -> a.without("python/bin/python3.8").without("python/bin/python3"),
                "has no python/bin/python3.8 (python-build-standalone's install_only layout is expected");
        assertRefused(a -> a.without("python/bin/python3.8").file("python/bin/python3.8", "#!/bin/sh\n", 0755),
                "has python/bin/python3.8, which is not a Linux (ELF) executable");
        assertRefused(a -> a.without("python/PYTHON.json").file("python/lib/python3.9/x.py", "", 0644),
                "has several python/lib/pythonX.Y directories [3.8, 3.9] and no PYTHON.json to choose");
        assertRefused(a -> a.without("python/PYTHON.json").file("python/PYTHON.json", "{not json", 0644),
                "has an unreadable python/PYTHON.json");
    }

    // An archive from outside is read like a wheel: nothing it holds may land outside python/ once unpacked.
    @Test
    void inspect_refusesEveryEntryThatCouldEscapeOrSurprise() {
        assertRefused(a -> a.file("python/../escape.py", "x", 0644), "has an unsafe entry 'python/../escape.py'");
        assertRefused(a -> a.file("etc/cron.d/evil", "x", 0644), "has 'etc/cron.d/evil' outside python/");
        assertRefused(a -> a.link("python/lib/evil", "../../../etc/passwd"),
                "has a symbolic link 'python/lib/evil' to '../../../etc/passwd', which leaves python/");
        assertRefused(a -> a.link("python/lib/evil", "/etc/passwd"),
                "has a symbolic link 'python/lib/evil' to '/etc/passwd': only relative links inside python/ are"
                        + " shipped");
        assertRefused(a -> a.hardLink("python/bin/python", "python/bin/python3.8"),
                "has 'python/bin/python', which is a hard link; only files, directories and symbolic links are"
                        + " shipped");
        assertRefused(a -> a.device("python/dev/mem"), "has 'python/dev/mem', which is a device, FIFO or other"
                + " special file");
        assertRefused(a -> a.file("python/lib/python3.8/os.py", "# again\n", 0644),
                "holds 'python/lib/python3.8/os.py' twice");
        assertRefused(a -> a.file("python/lib/a\u001b[2Jb.py", "x", 0644), "has an entry whose name holds a control"
                + " character: 'python/lib/a?[2Jb.py'");
    }

    private void assertRefused(UnaryOperator<TestPythonArchives> change, String problem) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> inspect(change.apply(TestPythonArchives.installOnly("3.8.20")), PY38));
        assertTrue(e.getMessage().startsWith("{@target.pythonArchive} cpython.tar.gz " + problem), e.getMessage());
        assertEquals("target", e.setting());
    }

    @Test
    void urlSource_needsHttpsAndTheArchivesSha256() {
        String sha = "a".repeat(64);
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> PythonArchive.Source.url(
                "http://mirror.example/cpython.tar.gz", sha)).getMessage().endsWith("must be an https URL"));
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> PythonArchive.Source.url(
                "ftp://mirror.example/cpython.tar.gz", sha)).getMessage().endsWith("must be an https URL"));
        assertEquals("{@target.pythonArchive} is a URL, so {@target.pythonArchiveSha256} is required: an interpreter"
                + " from the network is run on every node", assertThrows(InvalidConfigurationException.class,
                () -> PythonArchive.Source.url("https://mirror.example/cpython.tar.gz", null)).getMessage());
        assertEquals("{@target.pythonArchiveSha256} 'abc' is not a sha256 (64 hexadecimal digits)",
                assertThrows(InvalidConfigurationException.class, () -> PythonArchive.Source.url(
                        "https://mirror.example/cpython.tar.gz", "abc")).getMessage());
        // A password in the URL is never repeated.
        String m = assertThrows(InvalidConfigurationException.class, () -> PythonArchive.Source.url(
                "http://user:s3cret@mirror.example/cpython.tar.gz", sha)).getMessage();
        assertFalse(m.contains("s3cret"), m);
    }

    @Test
    void obtain_downloadsOnceByDigestAndRefusesAnArchiveWithAnotherOne() throws Exception {
        byte[] archive = TestPythonArchives.installOnly("3.8.20").bytes();
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(archive));
        Path cache = dir.resolve("cache");
        try (ScriptedServer server = new ScriptedServer().drip("/cpython-3.8.20-install_only.tar.gz", archive, 0)) {
            String url = server.base() + "/cpython-3.8.20-install_only.tar.gz";
            PythonArchive.Source wrong = PythonArchive.Source.url(url, "0".repeat(64));
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> PythonArchive.obtain(wrong, cache, NetworkSettings.defaults(), BuildListener.silent()));
            assertEquals("the interpreter " + url + " has sha256 " + sha + ", but {@target.pythonArchiveSha256} is "
                    + "0".repeat(64), e.getMessage());
            try (var files = Files.walk(cache)) {
                assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "nothing kept");
            }

            PythonArchive.Source right = PythonArchive.Source.url(url, sha.toUpperCase(java.util.Locale.ROOT));
            Path got = PythonArchive.obtain(right, cache, NetworkSettings.defaults(), BuildListener.silent());
            assertEquals(cache.resolve("interpreters/sha256/" + sha + "/cpython-3.8.20-install_only.tar.gz"), got);
            assertEquals("3.8.20", PythonArchive.inspect(got, url, PY38, LIMIT).version());
            int requests = server.requests().size();
            assertEquals(got, PythonArchive.obtain(right, cache, NetworkSettings.defaults().withOffline(true),
                    BuildListener.silent()), "offline, from the cache");
            assertEquals(requests, server.requests().size());
        }
        PythonArchive.Source absent = PythonArchive.Source.url("https://mirror.example/other.tar.gz", "b".repeat(64));
        PyBundleException offline = assertThrows(PyBundleException.class, () -> PythonArchive.obtain(absent, cache,
                NetworkSettings.defaults().withOffline(true), BuildListener.silent()));
        assertEquals("{@target.pythonArchive} https://mirror.example/other.tar.gz is not in the cache, and the build"
                + " is offline", offline.getMessage());
    }

    @Test
    void fileSource_isCheckedAgainstAGivenSha256() throws Exception {
        Path file = TestPythonArchives.installOnly("3.8.20").writeTo(dir.resolve("cpython.tar.gz"));
        PythonArchive.Source bad = PythonArchive.Source.file("cpython.tar.gz", file, "c".repeat(64));
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> PythonArchive.obtain(bad, dir,
                NetworkSettings.defaults(), BuildListener.silent())).getMessage().contains(", but"
                + " {@target.pythonArchiveSha256} is " + "c".repeat(64)));
        PythonArchive.Source missing = PythonArchive.Source.file("nope.tar.gz", dir.resolve("nope.tar.gz"), null);
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> PythonArchive.obtain(missing, dir,
                NetworkSettings.defaults(), BuildListener.silent())).getMessage().endsWith("nope.tar.gz does not"
                + " exist"));
        assertEquals(file, PythonArchive.obtain(PythonArchive.Source.file("cpython.tar.gz", file, null), dir,
                NetworkSettings.defaults(), BuildListener.silent()));
    }
}

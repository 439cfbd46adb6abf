package io.github.pybundle.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.cache.FileCache;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.lock.InvalidLockException;
import io.github.pybundle.core.lock.LockedWheels;
import io.github.pybundle.core.lock.Locker;
import io.github.pybundle.core.lock.Pylock;
import io.github.pybundle.core.net.Credentials;
import io.github.pybundle.core.net.FetchException;
import io.github.pybundle.core.net.HttpFetcher;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.spec.dist.InvalidFilenameException;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.testing.ScriptedServer;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The audit's attacks from a hostile index (pages, links, digests) and a hostile lock, reproduced against the real
 * resolver, downloader and cache; each test plants files outside the cache and proves they are untouched.
 */
class HostileIndexTest {
    @TempDir
    Path dir;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final BuildListener listener = (level, message) -> log.add(level + " " + message);

    private static Target target() {
        return Target.of(new Target.Spec("3.11", null, null, null, null, null));
    }

    private static DeclaredRequirements requirements(String... reqs) throws IOException {
        return DeclaredRequirements.collect(new DeclaredRequirements.Request(List.of(reqs), List.of(), List.of(),
                null, false, List.of(), List.of(), Map.of()));
    }

    private IndexConfiguration config(PackageSource index) {
        return new IndexConfiguration(List.of(index), List.of(), Map.of(), NetworkSettings.defaults()
                .withRetries(1, Duration.ofMillis(1)), dir.resolve("cache"), 2);
    }

    /** Every file below {@code dir} outside the cache, with its content, for before/after comparison. */
    private Map<String, String> outsideCache() throws IOException {
        Map<String, String> files = new TreeMap<>();
        Path cache = dir.resolve("cache");
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!p.startsWith(cache)) {
                    files.put(dir.relativize(p).toString(), Files.isRegularFile(p) ? Files.readString(p) : "<dir>");
                }
            }
        }
        return files;
    }

    @Test
    void traversalInALinksNameOrDigestNeverTouchesAFileOutsideTheCacheAcrossTwoBuilds() throws Exception {
        Files.createDirectories(dir.resolve("victim3"));
        Files.writeString(dir.resolve("victim3/x-py3-none-any.whl"), "the victim's file");
        Files.writeString(dir.resolve("victim2"), "another victim");
        try (TestIndexServer files = new TestIndexServer(); ScriptedServer index = new ScriptedServer()) {
            TestIndexServer.File real = files.add(TestWheels.pure("pkg", "1.0"));
            String sha = TestWheels.sha256Hex(real.content);
            String url = files.fileUrl(real.filename);
            // The cache lives at dir/cache; ../ segments climb out of files/sha256/<2>/<64>/ to dir.
            String up = "../../../../../../";
            index.answer("/simple/pkg/", "text/html", "<html><body>"
                    + "<a href=\"" + url + "#sha256=" + sha + "\">pkg-1.0-1/" + up + "victim3/x-py3-none-any.whl</a>"
                    + "<a href=\"" + url + "#sha256=" + up + "victim2\">pkg-1.0-py3-none-any.whl</a>"
                    + "<a href=\"file:///etc/passwd#sha256=" + sha + "\">pkg-1.0-py3-none-any.whl</a>"
                    + "</body></html>");
            Map<String, String> before = outsideCache();
            for (int build = 1; build <= 2; build++) { // two builds sharing one cache, as in the audit
                PackageSource source = PackageSource.of("hostile", index.base() + "/simple/", PackageSource.Kind.INDEX,
                        "indexUrl");
                PyBundleException e = assertThrows(PyBundleException.class, () -> new Locker(listener).lock(
                        requirements("pkg"), target(), Map.of(), false, config(source), dir.resolve("pylock.toml"), null));
                assertTrue(e.getMessage().contains("pkg"), e.getMessage());
            }
            assertEquals(before, outsideCache(), "nothing outside the cache was created, changed or deleted");
            assertEquals(0, files.count("/files/" + real.filename), "no unsafe link was downloaded");
            String warning = log.stream().filter(l -> l.startsWith("WARN Ignored 3 unsafe links")).findFirst()
                    .orElseThrow(() -> new AssertionError(String.join("\n", log)));
            assertTrue(warning.contains("it contains a path separator"), warning);
            assertTrue(warning.contains("its sha256 digest '" + up + "victim2' is not 64 hex digits"), warning);
            assertTrue(warning.contains("its URL scheme 'file' is not allowed on a remote page"), warning);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "pkg-1.0-1/../../../../victim3/x-py3-none-any.whl, 0000000000000000000000000000000000000000000000000000000000000000",
        "pkg-1.0-py3-none-any.whl, ../../../../victim2",
        "pkg-1.0-py3-none-any.whl, 00000000000000000000000000000000000000000000000000000000000000",
        "'pkg-1.0-py3-none-any.whl\u0000', 0000000000000000000000000000000000000000000000000000000000000000",
        "../pkg-1.0.tar.gz, 0000000000000000000000000000000000000000000000000000000000000000",
    })
    void theCacheComputesNoPathFromAnUnsafeNameOrDigest(String name, String sha) throws Exception {
        Files.writeString(dir.resolve("victim2"), "another victim");
        FileCache cache = new FileCache(dir.resolve("cache"), listener);
        Map<String, String> before = outsideCache();
        assertThrows(PyBundleException.class, () -> cache.path(sha, name));
        assertThrows(PyBundleException.class, () -> cache.lookup(sha, name));
        assertThrows(PyBundleException.class, () -> cache.getOrProduce(sha, name, t -> sha));
        assertEquals(before, outsideCache());
    }

    @Test
    void aCraftedFileHandedStraightToTheDownloaderIsRefusedBeforeAnyRequest() throws Exception {
        try (TestIndexServer files = new TestIndexServer()) {
            TestIndexServer.File real = files.add(TestWheels.pure("pkg", "1.0"));
            IndexTestSupport t = new IndexTestSupport(dir.resolve("cache"));
            PackageSource source = PackageSource.of("i", files.indexUrl(), PackageSource.Kind.INDEX, "indexUrl");
            DistributionFile crafted = new DistributionFile("pkg-1.0-1/../../../../../../x-py3-none-any.whl",
                    URI.create(files.fileUrl(real.filename)), Map.of("sha256", TestWheels.sha256Hex(real.content)),
                    null, null, null, -1, "i");
            Map<String, String> before = outsideCache();
            assertThrows(InvalidFilenameException.class, () -> t.downloader(List.of(source))
                    .fetch(new Downloader.Request(crafted, null)));
            assertEquals(before, outsideCache());
            assertEquals(0, files.count("/files/" + real.filename));
        }
    }

    @Test
    void indexCredentialsGoOnlyToTheIndexsOwnOriginUnlessTheUserListsAnother() throws Exception {
        try (TestIndexServer other = new TestIndexServer(); ScriptedServer index = new ScriptedServer()) {
            TestIndexServer.File real = other.add(TestWheels.pure("pkg", "1.0"));
            String url = other.fileUrl(real.filename);
            index.requireBasicAuth("alice", "s3cret").answer("/simple/pkg/", "text/html", "<a href=\"" + url
                    + "#sha256=" + TestWheels.sha256Hex(real.content) + "\" data-dist-info-metadata=\"sha256="
                    + TestWheels.sha256Hex(real.metadata) + "\">" + real.filename + "</a>");
            PackageSource source = PackageSource.of("corp", index.base() + "/simple/", PackageSource.Kind.INDEX,
                    "indexUrl").withCredentials(new Credentials("alice", "s3cret"));
            Path lockFile = dir.resolve("pylock.toml");
            Locker.Result r = new Locker(listener).lock(requirements("pkg"), target(), Map.of(), false,
                    config(source), lockFile, null);
            r.lock().write(lockFile);
            List<Path> wheels = new LockedWheels(listener, null).fetch(Pylock.read(lockFile), lockFile,
                    config(source));
            assertEquals(1, wheels.size());
            assertTrue(index.requests().stream().allMatch(q -> q.authorization() != null), "the index gets them");
            assertTrue(other.count("/files/" + real.filename + ".metadata") >= 1, "metadata from the other host");
            assertTrue(other.count("/files/" + real.filename) >= 1, "the wheel from the other host");
            assertTrue(other.requests().stream().allMatch(q -> q.authorization() == null),
                    "no Authorization header to another origin: " + other.requests());

            // Listed by the user (<index><credentialsFor>): then the file host receives them.
            PackageSource trusting = source.withCredentialOrigins(List.of(other.otherHostBase().replace("localhost",
                    "127.0.0.1")), "indexes");
            Files.delete(lockFile);
            FileCacheReset.clear(dir.resolve("cache"));
            int seen = other.requests().size();
            new Locker(listener).lock(requirements("pkg"), target(), Map.of(), false, config(trusting), lockFile, null);
            assertTrue(other.requests().subList(seen, other.requests().size()).stream()
                    .anyMatch(q -> q.authorization() != null), "sent where the user said");
            assertThrows(PyBundleException.class, () -> source.withCredentialOrigins(List.of("ftp://x"), "indexes"));
        }
    }

    @Test
    void credentialsForComparesWholeOrigins() {
        PackageSource s = PackageSource.of("corp", "https://nexus.example/repository/pypi/simple/",
                PackageSource.Kind.INDEX, "indexUrl").withCredentials(new Credentials("u", "p"));
        assertNotNull(s.credentialsFor(URI.create("https://NEXUS.example:443/repository/files/a.whl")));
        assertNull(s.credentialsFor(URI.create("http://nexus.example/repository/files/a.whl")), "another scheme");
        assertNull(s.credentialsFor(URI.create("https://nexus.example:8443/a.whl")), "another port");
        assertNull(s.credentialsFor(URI.create("https://nexus.example.evil.com/a.whl")), "another host");
        assertNull(s.credentialsFor(URI.create("file:///tmp/a.whl")));
    }

    @Test
    void aServerThatDripsBytesHitsTheDeadlineOnceAndIsNotRetried() throws Exception {
        try (ScriptedServer drip = new ScriptedServer()) {
            drip.drip("/files/slow-1.0-py3-none-any.whl", new byte[200], 100);
            NetworkSettings settings = NetworkSettings.defaults().withTimeouts(Duration.ofSeconds(5),
                    Duration.ofSeconds(5)).withRetries(3, Duration.ofMillis(1)).withDeadline(Duration.ofSeconds(1));
            HttpFetcher http = new HttpFetcher(settings, listener, ms -> { });
            long start = System.nanoTime();
            FetchException e = assertThrows(FetchException.class, () -> http.download(URI.create(drip.base()
                    + "/files/slow-1.0-py3-none-any.whl"), null, dir.resolve("slow.whl")));
            assertTrue(e.getMessage().startsWith("gave up on " + drip.base() + "/files/slow-1.0-py3-none-any.whl"
                    + " after 1 s"), e.getMessage());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(4).toNanos(), "bounded by the deadline");
            assertEquals(1, drip.requests().size(), "not retried");
            assertFalse(Files.exists(dir.resolve("slow.whl")));
        }
    }

    @Test
    void aLocalWriteFailureIsNotRetried() throws Exception {
        try (TestIndexServer files = new TestIndexServer()) {
            TestIndexServer.File real = files.add(TestWheels.pure("pkg", "1.0"));
            HttpFetcher http = new HttpFetcher(NetworkSettings.defaults().withRetries(3, Duration.ofMillis(1)),
                    listener, ms -> { });
            Path nowhere = dir.resolve("no-such-dir/pkg.whl"); // creating the temporary file fails locally
            FetchException e = assertThrows(FetchException.class, () -> http.download(
                    URI.create(files.fileUrl(real.filename)), null, nowhere));
            assertTrue(e.getMessage().startsWith("cannot create a temporary file beside"), e.getMessage());
            assertEquals(1, files.count("/files/" + real.filename), "one request, no retry");
        }
    }

    @Test
    void theCacheRemovesPartsOlderThanADayAndKeepsEntriesReadableByAll() throws Exception {
        Path cache = dir.resolve("cache");
        Path entry = Files.createDirectories(cache.resolve("files/sha256/ab/" + "ab".repeat(32)));
        Path old = Files.writeString(entry.resolve(".download123.part"), "killed mid-download");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Path fresh = Files.writeString(cache.resolve(".unhashed9.part"), "another build is writing this");
        byte[] content = "wheel".getBytes();
        String sha = TestWheels.sha256Hex(content);
        Path stored = new FileCache(cache, listener).getOrProduce(sha, "pkg-1.0-py3-none-any.whl", t -> {
            Files.write(t, content);
            return sha;
        });
        assertFalse(Files.exists(old), "a part older than a day is removed");
        assertTrue(Files.exists(fresh), "a recent part may belong to a running build");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(stored)),
                "cache entries are readable by every user of a shared cache");
    }

    @Test
    void aHostileLockIsRefusedBeforeItsNamesReachTheCache() throws Exception {
        String sha = "ab".repeat(32);
        for (String[] bad : new String[][] {
            {"name = \"pkg-1.0-1/../../../x-py3-none-any.whl\"", sha, "path separator"},
            {"name = \"pkg-1.0-py3-none-any.whl\"", "../../victim", "is not 64 hex digits"},
            {"name = \"pkg-1.0-py3-none-any.whl\"\nurl = \"file:///etc/passwd\"", sha, "not an http(s) URL"},
        }) {
            Path lock = dir.resolve("pylock.toml");
            Files.writeString(lock, "lock-version = \"1.0\"\ncreated-by = \"x\"\n[[packages]]\nname = \"pkg\"\n"
                    + "version = \"1.0\"\n[[packages.wheels]]\n" + bad[0] + "\nhashes = {sha256 = \"" + bad[1] + "\"}\n");
            InvalidLockException e = assertThrows(InvalidLockException.class, () -> Pylock.read(lock));
            assertTrue(e.getMessage().contains(bad[2]), e.getMessage());
        }
    }

    @Test
    void aRedirectToAFileUrlIsRefusedSoAServerCannotMakePybundleReadLocalFiles() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "not for the index");
        try (ScriptedServer index = new ScriptedServer()) {
            index.redirect("/simple/pkg/", secret.toUri().toString());
            HttpFetcher http = new HttpFetcher(NetworkSettings.defaults(), listener, ms -> { });
            FetchException e = assertThrows(FetchException.class, () -> http.get(URI.create(index.base()
                    + "/simple/pkg/"), null, Map.of()));
            assertTrue(e.getMessage().startsWith("refusing a redirect from " + index.base() + "/simple/pkg/ to a"
                    + " file: URL"), e.getMessage());
        }
    }

    @Test
    void credentialsReachAnIndexWhoseHostJavaCannotParseAsAServerName() {
        PackageSource s = PackageSource.of("corp", "https://nexus_repo.corp/simple/", PackageSource.Kind.INDEX,
                "indexUrl").withCredentials(new Credentials("u", "p"));
        assertNotNull(s.credentialsFor(URI.create("https://nexus_repo.corp/simple/pkg/")));
        assertNotNull(s.credentialsFor(URI.create("https://NEXUS_REPO.corp:443/files/pkg-1.0-py3-none-any.whl")));
        assertNull(s.credentialsFor(URI.create("https://nexus_repo.corp.evil/simple/pkg/")));
        assertNull(s.credentialsFor(URI.create("https://nexus_repo.corp:8443/simple/pkg/")));
    }

    /** Empties a cache directory between two resolutions of one test. */
    private static final class FileCacheReset {
        static void clear(Path cache) throws IOException {
            try (Stream<Path> s = Files.walk(cache)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}

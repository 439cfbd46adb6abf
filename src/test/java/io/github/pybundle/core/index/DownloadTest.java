package io.github.pybundle.core.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.cache.HashMismatchException;
import io.github.pybundle.core.cache.OfflineMissException;
import io.github.pybundle.core.net.Credentials;
import io.github.pybundle.core.net.FetchException;
import io.github.pybundle.maven.PomWords;
import io.github.pybundle.testing.TestIndexServer.Fault;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadTest {
    private static final String WHEEL = "demo-1.0-py3-none-any.whl";
    private static final String PATH = "/files/" + WHEEL;

    @TempDir
    Path dir;
    TestIndexServer server;
    IndexTestSupport t;
    PackageSource index;
    TestIndexServer.File file;

    @BeforeEach
    void start() throws Exception {
        server = new TestIndexServer();
        t = new IndexTestSupport(dir.resolve("cache"));
        index = PackageSource.of("test", server.indexUrl(), PackageSource.Kind.INDEX, "indexUrl");
        file = server.add(TestWheels.pure("demo", "1.0"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private DistributionFile listed() throws Exception {
        return t.client.project(index, "demo").files().get(0);
    }

    private Path download() throws Exception {
        return t.downloader(List.of(index)).download(List.of(new Downloader.Request(listed(), null))).get(WHEEL);
    }

    private long cachedEntries() throws Exception {
        Path files = dir.resolve("cache/files");
        if (!Files.exists(files)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(files)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".whl")).count();
        }
    }

    @Test
    void download_storesAVerifiedContentAddressedEntryAndReusesIt() throws Exception {
        Path p = download();
        assertArrayEquals(file.content, Files.readAllBytes(p));
        assertTrue(p.toString().contains("/files/sha256/" + TestWheels.sha256Hex(file.content).substring(0, 2) + "/"));
        assertTrue(t.logText().contains("INFO Downloaded from test: " + server.fileUrl(WHEEL) + " ("));
        download();
        assertEquals(1, server.count(PATH), "the second build is served from the cache");
    }

    @Test
    void download_failsOnAHashMismatchAndCachesNothing() throws Exception {
        file.listedSha256 = "0".repeat(64);
        HashMismatchException e = assertThrows(HashMismatchException.class, this::download);
        assertTrue(PomWords.render(e.getMessage()).contains("sha256 of " + WHEEL + " is " + TestWheels.sha256Hex(file.content)),
                PomWords.render(e.getMessage()));
        assertEquals(0, cachedEntries());
    }

    @Test
    void download_retriesA503AndA429ThenSucceeds() throws Exception {
        server.fault(PATH, Fault.STATUS_503, Fault.STATUS_429);
        assertArrayEquals(file.content, Files.readAllBytes(download()));
        assertEquals(3, server.count(PATH));
        assertEquals(2, t.sleeps.size(), "backed off twice");
        assertTrue(t.sleeps.get(1) >= 10, "exponential backoff with jitter: " + t.sleeps);
    }

    @Test
    void download_retriesAConnectionResetMidBody() throws Exception {
        server.fault(PATH, Fault.RESET_MID_BODY);
        assertArrayEquals(file.content, Files.readAllBytes(download()));
        assertEquals(2, server.count(PATH));
    }

    @Test
    void download_neverKeepsATruncatedBody() throws Exception {
        server.fault(PATH, Fault.TRUNCATE, Fault.TRUNCATE, Fault.TRUNCATE);
        FetchException e = assertThrows(FetchException.class, this::download);
        assertTrue(PomWords.render(e.getMessage()).startsWith("failed after 3 tries: " + server.fileUrl(WHEEL)), PomWords.render(e.getMessage()));
        assertEquals(0, cachedEntries());
        try (Stream<Path> s = Files.walk(dir.resolve("cache"))) {
            assertEquals(List.of(), s.filter(p -> p.toString().endsWith(".part")).toList(), "no partial files left");
        }
    }

    @Test
    void download_timesOutOnAStalledTransfer() throws Exception {
        server.fault(PATH, Fault.STALL, Fault.STALL, Fault.STALL);
        long start = System.nanoTime();
        FetchException e = assertThrows(FetchException.class, this::download);
        assertTrue(PomWords.render(e.getMessage()).contains("Read timed out") || PomWords.render(e.getMessage()).contains("timed out"), PomWords.render(e.getMessage()));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 20, "bounded by the read timeout");
    }

    @Test
    void fetch_failsAt401WithoutRetryingAndSaysWhatToDo() throws Exception {
        server.requireBasicAuth("alice", "s3cret-pw");
        FetchException e = assertThrows(FetchException.class, () -> t.client.project(index, "demo"));
        assertEquals(401, e.status());
        assertEquals("authentication required (401) for " + server.indexUrl() + "demo/ (no credentials were sent)",
                PomWords.render(e.getMessage()));
        assertTrue(PomWords.render(e.hints().get(0)).contains("<server>"));
        assertEquals(1, server.requests().size(), "no retry on 401");
    }

    @Test
    void credentials_fromUrlUserInfoAreSentButNeverShown() throws Exception {
        server.requireBasicAuth("alice", "s3cret-pw");
        PackageSource withUserInfo = PackageSource.of("test", server.indexUrl().replace("http://",
                "http://alice:s3cret-pw@"), PackageSource.Kind.INDEX, "indexUrl");
        assertFalse(withUserInfo.toString().contains("s3cret"));
        assertEquals("alice:****", withUserInfo.credentials().toString());
        assertEquals("demo", t.client.project(withUserInfo, "demo").name());
        PackageSource wrong = PackageSource.of("test", server.indexUrl().replace("http://", "http://alice:nope@"),
                PackageSource.Kind.INDEX, "indexUrl");
        FetchException e = assertThrows(FetchException.class, () -> t.client.project(wrong, "absent"));
        assertTrue(PomWords.render(e.getMessage()).contains("(as user 'alice')") && !PomWords.render(e.getMessage()).contains("nope"), PomWords.render(e.getMessage()));
    }

    @Test
    void redirectToAnotherHost_dropsTheCredentials() throws Exception {
        server.requireBasicAuth("alice", "s3cret-pw");
        PackageSource authed = index.withCredentials(new Credentials("alice", "s3cret-pw"));
        DistributionFile f = t.client.project(authed, "demo").files().get(0);
        server.redirectFilesTo(server.otherHostBase()); // same server, host "localhost" instead of "127.0.0.1"
        t.downloader(List.of(authed)).fetch(new Downloader.Request(f, null));
        TestIndexServer.Request first = server.requests().stream().filter(r -> r.path().equals(PATH)).findFirst()
                .orElseThrow();
        TestIndexServer.Request redirected = server.requests().stream()
                .filter(r -> r.path().equals("/redirected/" + WHEEL)).findFirst().orElseThrow();
        assertTrue(first.authorization() != null, "sent to the index host");
        assertNull(redirected.authorization(), "not sent to another host");
    }

    @Test
    void plainHttp_isRefusedForNonLoopbackHostsUnlessAllowed() {
        PackageSource remote = PackageSource.of("corp", "http://pypi.corp.invalid/simple", PackageSource.Kind.INDEX,
                "indexUrl");
        FetchException e = assertThrows(FetchException.class, () -> t.client.project(remote, "demo"));
        assertTrue(PomWords.render(e.getMessage()).startsWith("refusing plain-http index http://pypi.corp.invalid/simple/demo/"),
                PomWords.render(e.getMessage()));
        assertTrue(PomWords.render(e.hints().get(0)).contains("<allowInsecureIndex>"));
    }

    @Test
    void offline_usesTheCacheAndNamesWhatIsMissing() throws Exception {
        download();
        IndexTestSupport offline = new IndexTestSupport(dir.resolve("cache"), t.settings.withOffline(true));
        server.close();
        DistributionFile f = offline.client.project(index, "demo").files().get(0);
        Path p = offline.downloader(List.of(index)).fetch(new Downloader.Request(f, null));
        assertArrayEquals(file.content, Files.readAllBytes(p));
        OfflineMissException miss = assertThrows(OfflineMissException.class,
                () -> offline.client.project(index, "never-fetched"));
        assertTrue(PomWords.render(miss.getMessage()).startsWith("offline mode: the index page " + index.url()
                + "never-fetched/ of 'test' is not in the cache"), PomWords.render(miss.getMessage()));
    }

    @Test
    void corruptCacheEntry_isEvictedAndFetchedAgain() throws Exception {
        Path p = download();
        Files.write(p, "garbage".getBytes());
        Path again = download();
        assertArrayEquals(file.content, Files.readAllBytes(again));
        assertEquals(2, server.count(PATH));
        assertTrue(t.logText().contains("is corrupt (sha256 differs); fetching it again"));
    }

    @Test
    void concurrentThreads_fetchTheSameFileOnce() throws Exception {
        server.delayBodies(300);
        DistributionFile f = listed();
        Downloader d1 = t.downloader(List.of(index));
        Downloader d2 = new IndexTestSupport(dir.resolve("cache")).downloader(List.of(index));
        CompletableFuture<Path> a = CompletableFuture.supplyAsync(() -> uncheck(() -> d1.fetch(
                new Downloader.Request(f, null))));
        CompletableFuture<Path> b = CompletableFuture.supplyAsync(() -> uncheck(() -> d2.fetch(
                new Downloader.Request(f, null))));
        assertEquals(a.get(), b.get());
        assertEquals(1, server.count(PATH));
    }

    interface Io<T> {
        T get() throws Exception;
    }

    static <T> T uncheck(Io<T> io) {
        try {
            return io.get();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    private static DistributionFile sized(DistributionFile f, long size) { // as the lock gives it
        return new DistributionFile(f.filename(), f.url(), f.hashes(), f.requiresPython(), f.yanked(),
                f.metadataHashes(), size, f.sourceId());
    }

    // The largest file starts first (its wheel check is the longest), the others follow by size; files whose size
    // nobody gave come last; what the caller gets back is still in the order it asked.
    @Test
    void largestFilesStartFirst_resultsInRequestOrder() throws Exception {
        java.util.function.BiFunction<String, Long, Downloader.Request> req = (name, size) -> new Downloader.Request(
                new DistributionFile(name, java.net.URI.create("http://127.0.0.1/" + name), java.util.Map.of(), null,
                        null, null, size, "test"), null);
        List<Downloader.Request> requests = List.of(req.apply("a.whl", 10L), req.apply("b.whl", -1L),
                req.apply("c.whl", 3000L), req.apply("d.whl", 10L), req.apply("e.whl", 200L));
        assertEquals(List.of(2, 4, 0, 3, 1), Downloader.largestFirst(requests));

        TestIndexServer.File bigFile = server.add(new TestWheels.Spec("big", "1.0", "py3-none-any", List.of(), null,
                java.util.Map.of("big/data.py", "x = '" + "y".repeat(50_000) + "'\n")));
        TestIndexServer.File smallFile = server.add(TestWheels.pure("small", "1.0"));
        DistributionFile small = sized(t.client.project(index, "small").files().get(0), smallFile.content.length);
        DistributionFile big = sized(t.client.project(index, "big").files().get(0), bigFile.content.length);
        java.util.Map<String, Path> got = t.downloader(List.of(index), 1).download(List.of(
                new Downloader.Request(small, null), new Downloader.Request(big, null)));
        assertEquals(List.of(small.filename(), big.filename()), List.copyOf(got.keySet()));
        List<String> fetched = server.requests().stream().map(TestIndexServer.Request::path)
                .filter(p -> p.startsWith("/files/")).toList();
        assertEquals(List.of("/files/" + big.filename(), "/files/" + small.filename()), fetched);
    }
}

package io.github.pybundle.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.index.DistributionFile;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.resolve.Candidate;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.core.wheel.WheelChecks;
import io.github.pybundle.core.wheel.WheelVerifier;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wheels fetched while the resolution goes on: what the resolver takes is in the cache, its check started, before the
 * lock is written; what the bundle leaves out, what has no digest to be cached under, and what fails are not
 * trusted or reported here.
 */
class DownloadsAheadTest {
    @TempDir
    Path dir;

    private TestIndexServer server;
    private IndexConfiguration config;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final BuildListener listener = (level, m) -> log.add(level + " " + m);
    private WheelVerifier.Memo memo;

    @BeforeEach
    void index() throws Exception {
        server = new TestIndexServer();
        config = new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(), PackageSource.Kind.INDEX,
                "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(), dir.resolve("cache"), 2);
        memo = WheelVerifier.Memo.inCache(dir.resolve("cache"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private DownloadsAhead ahead(WheelVerifier.Ahead checking, List<String> skipped) {
        return new DownloadsAhead(config.open(listener).downloader(), WheelChecks.defaults().withMemo(memo),
                checking, listener, skipped);
    }

    private Candidate candidate(String name, TestIndexServer.File f, String filename, String sha256, boolean provided) {
        return new Candidate(name, Version.parse("1.0"), new DistributionFile(filename,
                URI.create(server.fileUrl(filename)), sha256 == null ? Map.of() : Map.of("sha256", sha256), null, null,
                null, f.content.length, "test"), false, provided);
    }

    private List<Path> cachedWheels() throws Exception {
        Path files = dir.resolve("cache/files");
        if (!Files.exists(files)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(files)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".whl")).toList();
        }
    }

    // The fetches ahead run on their own threads: what they did shows within a few seconds.
    private static void eventually(java.util.function.BooleanSupplier done, String what) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    private int cachedCount() {
        try {
            return cachedWheels().size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private DeclaredRequirements requirementsTxt(String text) throws Exception {
        Path requirements = SourceTrees.write(dir, "requirements.txt", text);
        return DeclaredRequirements.collect(new DeclaredRequirements.Request(List.of(), List.of(),
                List.of(requirements), null, false, List.of(), List.of(), Map.of()));
    }

    private Pylock lock(DeclaredRequirements declared, DownloadsAhead ahead) throws Exception {
        return new Locker(BuildListener.silent(), ahead).lock(declared, Target.of(new Target.Spec("3.11", null, null,
                null, null, null)), Map.of(), false, config, dir.resolve("pylock.toml"), null).lock();
    }

    private long fileRequests() {
        return server.requests().stream().filter(r -> r.path().startsWith("/files/")).count();
    }

    // The resolver of a real lock tells it of each wheel it takes: app and dep are fetched, and checked, meanwhile.
    @Test
    void aResolutionFetchesTheWheelsItTakes_andStartsTheirChecks() throws Exception {
        server.add(TestWheels.pure("app", "1.0", "dep>=1"));
        server.add(TestWheels.pure("dep", "1.0"));
        DeclaredRequirements declared = requirementsTxt("app\n");
        try (WheelVerifier.Ahead checking = new WheelVerifier.Ahead(memo);
             DownloadsAhead ahead = ahead(checking, List.of())) {
            lock(declared, ahead);
            assertEquals(2, ahead.asked());
            eventually(() -> cachedCount() == 2, "both wheels in the cache");
            List<Path> wheels = cachedWheels();
            assertEquals(2, wheels.size(), wheels.toString());
            for (Path w : wheels) {
                eventually(() -> checking.memo().checked(w), "its check under way or done: " + w);
                assertNotNull(checking.memo().recall(w), "and it passes: " + w);
                assertTrue(memo.checked(w), "remembered beside the cached wheel: " + w);
            }
        }
    }

    @Test
    void whatTheBundleLeavesOut_orCannotCacheByDigest_isNotFetched() throws Exception {
        TestIndexServer.File dep = server.add(TestWheels.pure("dep", "1.0"));
        TestIndexServer.File spark = server.add(TestWheels.pure("pyspark", "3.5.1"));
        TestIndexServer.File control = server.add(TestWheels.pure("control", "1.0"));
        String depSha = TestWheels.sha256Hex(dep.content);
        try (WheelVerifier.Ahead checking = new WheelVerifier.Ahead(memo);
             DownloadsAhead ahead = ahead(checking, List.of(" PySpark "))) {
            ahead.taking(candidate("pyspark", spark, "pyspark-3.5.1-py3-none-any.whl",
                    TestWheels.sha256Hex(spark.content), false)); // excluded or provided, by its normalized name
            ahead.taking(candidate("dep", dep, "dep-1.0-py3-none-any.whl", depSha, true)); // provided by the cluster
            ahead.taking(candidate("dep", dep, "dep-1.0-py3-none-any.whl", null, false)); // no digest to cache under
            ahead.taking(candidate("control", control, "control-1.0-py3-none-any.whl",
                    TestWheels.sha256Hex(control.content), false)); // the one that is fetched
            eventually(() -> cachedCount() == 1, "the control wheel in the cache");
            ahead.close();
            assertEquals(List.of("/files/control-1.0-py3-none-any.whl"), server.requests().stream()
                    .map(TestIndexServer.Request::path).filter(p -> p.startsWith("/files/")).toList());
        }
    }

    @Test
    void aFileIsFetchedOnce_andAFailureIsLeftToTheDownload() throws Exception {
        TestIndexServer.File dep = server.add(TestWheels.pure("dep", "1.0"));
        TestIndexServer.File other = server.add(TestWheels.pure("other", "1.0"));
        try (WheelVerifier.Ahead checking = new WheelVerifier.Ahead(memo);
             DownloadsAhead ahead = ahead(checking, List.of())) {
            Candidate c = candidate("dep", dep, "dep-1.0-py3-none-any.whl", TestWheels.sha256Hex(dep.content), false);
            ahead.taking(c);
            ahead.taking(c); // the resolver takes it again after backtracking
            ahead.taking(candidate("other", other, "other-1.0-py3-none-any.whl", "0".repeat(64), false));
            eventually(() -> log.stream().anyMatch(m -> m.startsWith("DEBUG Fetching other-")) && cachedCount() == 1,
                    "the good one cached, the other one given up");
            ahead.close();
            assertEquals(2, fileRequests());
            List<Path> wheels = cachedWheels();
            assertEquals(1, wheels.size(), "a file whose digest does not match is not kept: " + wheels);
            assertTrue(log.stream().anyMatch(m -> m.startsWith("DEBUG Fetching other-1.0-py3-none-any.whl ahead"
                    + " failed (")), log.toString());
            assertFalse(log.stream().anyMatch(m -> m.startsWith("WARN") || m.startsWith("ERROR")), log.toString());
        }
    }

    @Test
    void afterTheBuildNothingIsFetched() throws Exception {
        TestIndexServer.File dep = server.add(TestWheels.pure("dep", "1.0"));
        List<String> none = new ArrayList<>();
        try (WheelVerifier.Ahead checking = new WheelVerifier.Ahead(memo);
             DownloadsAhead ahead = ahead(checking, none)) {
            ahead.close();
            ahead.taking(candidate("dep", dep, "dep-1.0-py3-none-any.whl", TestWheels.sha256Hex(dep.content), false));
            Thread.sleep(200);
            assertEquals(0, fileRequests());
        }
    }

    // A resolution that backtracks: app 2.0 needs dep<2 while the root pins dep 2.0, so the resolver takes app 1.0.
    // Only the wheels it pinned are fetched; after the lock, what it does not hold stops.
    @Test
    void aVersionTheResolverRejectsIsNotFetched() throws Exception {
        server.add(TestWheels.pure("app", "2.0", "dep<2"));
        server.add(TestWheels.pure("app", "1.0", "dep"));
        server.add(TestWheels.pure("dep", "2.0"));
        DeclaredRequirements declared = requirementsTxt("dep==2.0\napp\n");
        try (WheelVerifier.Ahead checking = new WheelVerifier.Ahead(memo);
             DownloadsAhead ahead = ahead(checking, List.of())) {
            Pylock lock = lock(declared, ahead);
            List<String> locked = new ArrayList<>(lock.packages().stream().map(LockedPackage::wheelName).toList());
            locked.add(null); // a locked package without a wheel name (an sdist) is no reason to fail
            ahead.keepOnly(locked);
            eventually(() -> cachedCount() == 2, "the two locked wheels in the cache");
            ahead.close();
            assertEquals(List.of("app-1.0-py3-none-any.whl", "dep-2.0-py3-none-any.whl"), cachedWheels().stream()
                    .map(p -> p.getFileName().toString()).sorted().toList());
            assertFalse(server.requests().stream().anyMatch(r -> r.path().equals("/files/app-2.0-py3-none-any.whl")),
                    "the rejected version's wheel is never fetched");
        }
    }

    // Offline: nothing is requested; a wheel already in the cache gets its check started all the same.
    @Test
    void offlineNothingIsRequested() throws Exception {
        TestIndexServer.File dep = server.add(TestWheels.pure("dep", "1.0"));
        config = new IndexConfiguration(config.indexes(), List.of(), Map.of(), NetworkSettings.defaults()
                .withOffline(true), dir.resolve("cache"), 2);
        try (WheelVerifier.Ahead checking = new WheelVerifier.Ahead(memo);
             DownloadsAhead ahead = ahead(checking, List.of())) {
            ahead.taking(candidate("dep", dep, "dep-1.0-py3-none-any.whl", TestWheels.sha256Hex(dep.content), false));
            eventually(() -> log.stream().anyMatch(m -> m.startsWith("DEBUG Fetching dep-1.0-py3-none-any.whl ahead"
                    + " failed (")), "given up offline");
            assertEquals(0, fileRequests());
        }
    }
}

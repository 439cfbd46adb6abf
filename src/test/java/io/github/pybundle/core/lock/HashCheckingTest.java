package io.github.pybundle.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.cache.HashMismatchException;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.requirements.HashesRequiredException;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.maven.PomWords;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pip's hash-checking mode against a loopback index: app 1.0 depends on dep>=1; dep has 1.0 and 2.0. Only files that
 * match the declared hashes are locked; missing hashes and pins are named; an existing lock must agree.
 */
class HashCheckingTest {
    private static final String WRONG = "0".repeat(64);

    @TempDir
    Path dir;

    private TestIndexServer server;
    private IndexConfiguration config;
    private final Target target = Target.of(new Target.Spec("3.11", null, null, null, null, null));
    private byte[] app;
    private byte[] dep1;
    private byte[] dep2;

    @BeforeEach
    void index() throws Exception {
        server = new TestIndexServer();
        app = server.add(TestWheels.pure("app", "1.0", "dep>=1")).content;
        dep1 = server.add(TestWheels.pure("dep", "1.0")).content;
        dep2 = server.add(TestWheels.pure("dep", "2.0")).content;
        config = new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(), PackageSource.Kind.INDEX,
                "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(), dir.resolve("cache"), 2);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String sha256(byte[] b) {
        return TestWheels.sha256Hex(b);
    }

    private static String sha512(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(b));
    }

    private Path file(String name, String content) throws Exception {
        return SourceTrees.write(dir, name, content);
    }

    private DeclaredRequirements declared(String requirementsTxt) throws Exception {
        return DeclaredRequirements.collect(new DeclaredRequirements.Request(List.of(), List.of(),
                List.of(file("requirements.txt", requirementsTxt)), null, false, List.of(), List.of(), Map.of()));
    }

    private Pylock lock(DeclaredRequirements d) throws Exception {
        return new Locker(BuildListener.silent()).lock(d, target, Map.of(), false, config, dir.resolve("pylock.toml"), null)
                .lock();
    }

    private static LockedPackage pkg(Pylock lock, String name) {
        return lock.packages().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private String where(int line) {
        return dir.resolve("requirements.txt") + ":" + line;
    }

    @Test
    void wrongHash_failsNamingTheDeclarationTheFileAndBothHashes() {
        HashMismatchException e = assertThrows(HashMismatchException.class, () -> lock(declared(
                "app==1.0 --hash=sha256:" + sha256(app) + "\ndep==1.0 --hash=sha256:" + WRONG + "\n")));
        assertEquals("dep==1.0 (" + where(2) + "): no file matches the allowed hashes: dep-1.0-py3-none-any.whl has"
                + " sha256:" + sha256(dep1) + ", allowed sha256:" + WRONG, PomWords.render(e.getMessage()));
        assertTrue(!e.hints().isEmpty());
        assertEquals(0, server.count("/files/dep-1.0-py3-none-any.whl"), "nothing is downloaded to tell");
    }

    @Test
    void rightHash_locksAndTheLockRecordsItAndItsInputs() throws Exception {
        DeclaredRequirements d = declared("app==1.0 --hash=sha256:" + sha256(app) + "\n"
                + "dep==1.0 --hash=sha256:" + sha256(dep1) + "\n");
        Pylock lock = lock(d);
        assertEquals(sha256(app), pkg(lock, "app").sha256());
        assertEquals(sha256(dep1), pkg(lock, "dep").sha256());
        assertEquals(List.of("app sha256:" + sha256(app), "dep sha256:" + sha256(dep1)), lock.inputs().get("hashes"));

        // The lock is used as it is while the hashes stay; editing one makes it out of date.
        Path lockFile = dir.resolve("pylock.toml");
        lock.write(lockFile);
        LockedWheels wheels = new LockedWheels(BuildListener.silent(), null);
        assertEquals(lock.packages(), wheels.ensure(d, target, Map.of(), false, config, lockFile, false).packages());
        DeclaredRequirements edited = declared("app==1.0 --hash=sha256:" + sha256(app) + "\n"
                + "dep==1.0 --hash=sha256:" + sha256(dep1) + " --hash=sha256:" + WRONG + "\n");
        InvalidLockException stale = assertThrows(InvalidLockException.class,
                () -> wheels.ensure(edited, target, Map.of(), false, config, lockFile, false));
        assertTrue(PomWords.render(stale.getMessage()).contains("is out of date: hashes: added [dep sha256:" + WRONG + "]"),
                PomWords.render(stale.getMessage()));
    }

    @Test
    void severalHashesPerRequirement_anyOneMatches_inThePomToo() throws Exception {
        DeclaredRequirements d = DeclaredRequirements.collect(new DeclaredRequirements.Request(List.of(
                "app==1.0 --hash=sha256:" + WRONG + " --hash=sha256:" + sha256(app),
                "dep==2.0 --hash=sha256:" + sha256(dep1) + " --hash=sha256:" + sha256(dep2)), List.of(), List.of(),
                null, false, List.of(), List.of(), Map.of()));
        Pylock lock = lock(d);
        assertEquals(sha256(app), pkg(lock, "app").sha256());
        assertEquals("2.0", pkg(lock, "dep").version());
        assertEquals(sha256(dep2), pkg(lock, "dep").sha256());
    }

    @Test
    void sha512_isCheckedOnTheDownloadedFileAndRecordedInTheLock() throws Exception {
        Pylock lock = lock(declared("app==1.0 --hash=sha512:" + sha512(app) + "\n"
                + "dep==1.0 --hash=sha256:" + sha256(dep1) + "\n"));
        assertEquals(Map.of("sha512", sha512(app)), pkg(lock, "app").otherHashes());
        Path lockFile = dir.resolve("pylock.toml");
        lock.write(lockFile);
        assertTrue(Files.readString(lockFile).contains("hashes = {sha256 = \"" + sha256(app) + "\", sha512 = \""
                + sha512(app) + "\"}"), Files.readString(lockFile));
        assertEquals(lock.packages(), Pylock.read(lockFile).packages());
        // Bundling checks the recorded sha512 of the download too, not only its sha256.
        assertEquals(2, new LockedWheels(BuildListener.silent(), null).fetch(lock, lockFile, config).size());
        LockedPackage a = pkg(lock, "app");
        Pylock edited = new Pylock(lock.environments(), lock.requiresPython(), lock.createdBy(), List.of(pkg(lock,
                "dep"), new LockedPackage(a.name(), a.version(), a.index(), a.wheelName(), a.url(), a.path(),
                a.size(), a.sha256(), a.dependencies(), false, Map.of("sha512", "2".repeat(128)))), lock.inputs());
        HashMismatchException bad = assertThrows(HashMismatchException.class, () -> new LockedWheels(
                BuildListener.silent(), null).fetch(edited, lockFile, config));
        assertTrue(PomWords.render(bad.getMessage()).startsWith("app-1.0-py3-none-any.whl has sha512:" + sha512(app) + ", but " + lockFile
                + " records sha512:" + "2".repeat(128)),
                PomWords.render(bad.getMessage()));

        String wrong512 = "1".repeat(128);
        HashMismatchException e = assertThrows(HashMismatchException.class, () -> lock(declared("app==1.0"
                + " --hash=sha512:" + wrong512 + "\ndep==1.0 --hash=sha256:" + sha256(dep1) + "\n")));
        assertEquals("app==1.0 (" + where(1) + "): no file matches the allowed hashes: app-1.0-py3-none-any.whl has"
                + " sha512:" + sha512(app) + ", allowed sha512:" + wrong512, PomWords.render(e.getMessage()));
    }

    @Test
    void aFileTheIndexGivesNoComparableDigestFor_thatDoesNotMatch_isPassedOverForAnOlderOneThatDoes()
            throws Exception {
        // dep has no pin; its constraint allows dep 1.0's file by sha512, which the index does not list: dep 2.0 is
        // downloaded, found not to match, and the resolver goes on to dep 1.0.
        file("constraints.txt", "dep --hash=sha512:" + sha512(dep1) + "\n");
        Pylock lock = lock(declared("-c constraints.txt\napp==1.0 --hash=sha256:" + sha256(app) + "\n"));
        assertEquals("1.0", pkg(lock, "dep").version());
        assertEquals(Map.of("sha512", sha512(dep1)), pkg(lock, "dep").otherHashes());
        assertEquals(1, server.count("/files/dep-2.0-py3-none-any.whl"));
    }

    @Test
    void hashesOnAConstraint_allowTheFilesOfThatPackage_andSteerTheChoice() throws Exception {
        file("constraints.txt", "dep --hash=sha256:" + sha256(dep1) + "\n");
        // dep 2.0 is newer, but only dep 1.0's file matches the constraint's hash: pip picks among matching files.
        Pylock lock = lock(declared("-c constraints.txt\napp==1.0 --hash=sha256:" + sha256(app) + "\n"));
        assertEquals("1.0", pkg(lock, "dep").version());
        assertEquals(sha256(dep1), pkg(lock, "dep").sha256());
        assertEquals(List.of("app", "dep"), lock.packages().stream().map(LockedPackage::name).toList());
    }

    @Test
    void requirementWithoutAHash_failsNamingIt() {
        HashesRequiredException e = assertThrows(HashesRequiredException.class, () -> lock(declared(
                "app==1.0 --hash=sha256:" + sha256(app) + "\ndep==1.0\n")));
        assertTrue(PomWords.render(e.getMessage()).startsWith("Hashes are required in hash-checking mode (on because of --hash in "
                + where(1) + "), but they are missing from some requirements:\n  dep==1.0 (" + where(2) + ")"),
                PomWords.render(e.getMessage()));
        assertEquals(0, server.requests().size(), "checked before any network");
    }

    @Test
    void transitiveDependencyWithoutAHash_failsNamingItWithTheHashOfTheFileChosen() {
        HashesRequiredException e = assertThrows(HashesRequiredException.class, () -> lock(declared(
                "app==1.0 --hash=sha256:" + sha256(app) + "\n")));
        assertTrue(PomWords.render(e.getMessage()).contains("missing for packages the resolution needs"), PomWords.render(e.getMessage()));
        assertTrue(PomWords.render(e.getMessage()).contains("\n  dep==2.0 --hash=sha256:" + sha256(dep2) + "    # required by app 1.0"),
                PomWords.render(e.getMessage()));
    }

    @Test
    void requireHashesWithoutAnyHash_failsNamingEveryRequirement() {
        HashesRequiredException e = assertThrows(HashesRequiredException.class, () -> lock(declared(
                "--require-hashes\napp==1.0\ndep==1.0\n")));
        assertTrue(PomWords.render(e.getMessage()).contains("(on because of --require-hashes in " + where(1) + ")"), PomWords.render(e.getMessage()));
        assertTrue(PomWords.render(e.getMessage()).contains("\n  app==1.0 (" + where(2) + ")\n  dep==1.0 (" + where(3) + ")"),
                PomWords.render(e.getMessage()));
        HashesRequiredException pom = assertThrows(HashesRequiredException.class, () -> lock(
                DeclaredRequirements.collect(new DeclaredRequirements.Request(List.of("app==1.0"), List.of(),
                        List.of(), null, false, List.of(), List.of(), Map.of(), true))));
        assertTrue(PomWords.render(pom.getMessage()).contains("(on because of <requireHashes>)"), PomWords.render(pom.getMessage()));
    }

    @Test
    void unpinnedRequirement_failsNamingIt() {
        HashesRequiredException e = assertThrows(HashesRequiredException.class, () -> lock(declared(
                "app>=1 --hash=sha256:" + sha256(app) + "\ndep==1.* --hash=sha256:" + sha256(dep1) + "\n")));
        assertTrue(PomWords.render(e.getMessage()).contains("every requirement must be pinned with == (or ===); these are not:\n  app>=1 ("
                + where(1) + ")\n  dep==1.* (" + where(2) + ")"), PomWords.render(e.getMessage()));
    }

    @Test
    void providedPackages_needNoHashNorPin() throws Exception {
        byte[] solo = server.add(TestWheels.pure("solo", "1.0")).content;
        DeclaredRequirements d = declared("solo==1.0 --hash=sha256:" + sha256(solo) + "\npyspark>=3\n");
        Pylock lock = new Locker(BuildListener.silent()).lock(d, target, Map.of("pyspark", "3.5.1"), false, config,
                dir.resolve("pylock.toml"), null).lock();
        assertEquals(List.of("solo"), lock.packages().stream().map(LockedPackage::name).toList());
    }

    @Test
    void existingLockOfAnotherTool_mustHoldOnlyAllowedFiles() throws Exception {
        Path lockFile = dir.resolve("pylock.toml");
        Pylock plain = lock(declared("app==1.0\ndep==1.0\n"));
        // Without [tool.pybundle] there are no inputs to compare: the locked digests are checked instead.
        new Pylock(plain.environments(), plain.requiresPython(), "other tool", plain.packages(), Map.of())
                .write(lockFile);
        LockedWheels wheels = new LockedWheels(BuildListener.silent(), null);
        DeclaredRequirements right = declared("app==1.0 --hash=sha256:" + sha256(app) + "\n"
                + "dep==1.0 --hash=sha256:" + sha256(dep1) + "\n");
        assertEquals(2, wheels.ensure(right, target, Map.of(), false, config, lockFile, false).packages().size());

        InvalidLockException e = assertThrows(InvalidLockException.class, () -> wheels.ensure(declared(
                "app==1.0 --hash=sha256:" + sha256(app) + "\ndep==1.0 --hash=sha256:" + WRONG + "\n"), target,
                Map.of(), false, config, lockFile, false));
        assertTrue(PomWords.render(e.getMessage()).contains("is out of date: it locks dep-1.0-py3-none-any.whl (sha256:"
                + sha256(dep1) + "), which the hashes declared for dep do not allow: dep==1.0 (" + where(2)
                + ") allows sha256:" + WRONG), PomWords.render(e.getMessage()));

        InvalidLockException no512 = assertThrows(InvalidLockException.class, () -> wheels.ensure(declared(
                "app==1.0 --hash=sha512:" + sha512(app) + "\ndep==1.0 --hash=sha256:" + sha256(dep1) + "\n"), target,
                Map.of(), false, config, lockFile, false));
        assertTrue(PomWords.render(no512.getMessage()).contains("records no [sha512] digest of app-1.0-py3-none-any.whl"),
                PomWords.render(no512.getMessage()));

        HashesRequiredException missing = assertThrows(HashesRequiredException.class, () -> wheels.ensure(declared(
                "app==1.0 --hash=sha256:" + sha256(app) + "\n"), target, Map.of(), false, config, lockFile, false));
        assertTrue(PomWords.render(missing.getMessage()).contains("\n  dep==1.0 --hash=sha256:" + sha256(dep1)), PomWords.render(missing.getMessage()));
    }

    @Test
    void findLinksFiles_withoutIndexDigests_areHashedWhereTheyLie() throws Exception {
        Path wheels = Files.createDirectories(dir.resolve("wheels"));
        byte[] local = TestWheels.build(TestWheels.pure("loc", "1.0"));
        Files.write(wheels.resolve("loc-1.0-py3-none-any.whl"), local);
        IndexConfiguration withLinks = new IndexConfiguration(config.indexes(), List.of(PackageSource.of("links",
                wheels.toString(), PackageSource.Kind.FIND_LINKS, "findLinks")), Map.of(), config.network(),
                config.cacheRoot(), 2);
        DeclaredRequirements d = declared("loc==1.0 --hash=sha256:" + sha256(local) + "\n");
        Pylock lock = new Locker(BuildListener.silent()).lock(d, target, Map.of(), false, withLinks,
                dir.resolve("pylock.toml"), null).lock();
        assertEquals(sha256(local), pkg(lock, "loc").sha256());
        HashMismatchException e = assertThrows(HashMismatchException.class, () -> new Locker(BuildListener.silent())
                .lock(declared("loc==1.0 --hash=sha256:" + WRONG + "\n"), target, Map.of(), false, withLinks,
                        dir.resolve("pylock.toml"), null));
        assertTrue(PomWords.render(e.getMessage()).contains("loc-1.0-py3-none-any.whl has sha256:" + sha256(local)), PomWords.render(e.getMessage()));
    }
}

package io.github.pybundle.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.testing.SourceTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PylockTest {
    @TempDir
    Path dir;

    private static Pylock sample(Map<String, List<String>> inputs) {
        return new Pylock(List.of("python_version == \"3.8\""), "==3.8.*", "pybundle test", List.of(
                new LockedPackage("six", "1.16.0", "https://pypi.org/simple/", "six-1.16.0-py2.py3-none-any.whl",
                        "https://files.example/six-1.16.0-py2.py3-none-any.whl", null, 11053, "a".repeat(64),
                        List.of(), false),
                new LockedPackage("demo", "1.0", null, "demo-1.0-py3-none-any.whl", null, "wheels/demo-1.0-py3-none-any.whl",
                        -1, "b".repeat(64), List.of("six"), false),
                new LockedPackage("oldsrc", "0.3", "https://pypi.org/simple/", "oldsrc-0.3.tar.gz",
                        "https://files.example/oldsrc-0.3.tar.gz", null, 999, "d".repeat(64), List.of(), true)),
                inputs);
    }

    @Test
    void writeThenRead_roundTripsAndSortsPackages() throws Exception {
        Path file = dir.resolve("pylock.toml");
        Pylock lock = sample(Map.of("requirements", List.of("demo", "say \"hi\"")));
        assertTrue(lock.write(file));
        assertFalse(lock.write(file), "same content: not rewritten");
        Pylock back = Pylock.read(file);
        assertEquals(lock, back);
        assertEquals("demo", back.packages().get(0).name());
        assertTrue(Files.readString(file).contains("path = \"wheels/demo-1.0-py3-none-any.whl\""));
        assertTrue(Files.readString(file).contains("sdist = {name = \"oldsrc-0.3.tar.gz\", url = "));
        assertTrue(back.packages().get(1).sdist());
    }

    @Test
    void aWheelTheBuildDependsOn_isRecordedWithItsPathAndCoordinatesAndReadsBack() throws Exception {
        LockedPackage helpers = new LockedPackage("helpers", "1.0", null, "helpers-1.0-py3-none-any.whl", null,
                "target/pybundle/maven-wheels/helpers-1.0-py3-none-any.whl", 1234, "e".repeat(64), List.of("six"),
                false, Map.of(), "com.example:helpers:whl:1.0");
        Pylock lock = sample(Map.of()).withBuildWheels(List.of(helpers));
        Path file = dir.resolve("pylock.toml");
        lock.write(file);
        assertTrue(Files.readString(file).contains("\n[[packages]]\n# Not from an index: a wheel the build depends on"
                + " (com.example:helpers:whl:1.0).\n# Its path is pybundle's copy in the build directory, relative to"
                + " this file; the sha256 is of that file.\nname = \"helpers\"\nversion = \"1.0\"\ndependencies ="
                + " [{name = \"six\"}]\nwheels = [{name = \"helpers-1.0-py3-none-any.whl\", path = \"target/pybundle/"
                + "maven-wheels/helpers-1.0-py3-none-any.whl\", size = 1234, hashes = {sha256 = \"" + "e".repeat(64)
                + "\"}}]\ntool.pybundle.artifact = \"com.example:helpers:whl:1.0\"\n"), Files.readString(file));
        Pylock back = Pylock.read(file);
        assertEquals(lock, back);
        assertEquals(sample(Map.of()).packages(), back.resolvedOnly().packages());
        assertEquals(List.of(helpers), back.withBuildWheels(List.of(helpers)).packages().stream()
                .filter(LockedPackage::fromBuild).toList(), "recorded once, replaced as a whole");

        Path noPath = SourceTrees.write(dir, "bad.toml", "lock-version = '1.0'\ncreated-by = 'x'\n[[packages]]\n"
                + "name = 'h'\nversion = '1'\nwheels = [{url = 'https://x/h-1-py3-none-any.whl', hashes = {sha256 = '"
                + "e".repeat(64) + "'}}]\ntool.pybundle.artifact = 'g:h:whl:1'\n");
        assertTrue(assertThrows(InvalidLockException.class, () -> Pylock.read(noPath)).getMessage()
                .contains("'h' is a wheel the build depends on, but has no path to it"));
    }

    @Test
    void read_acceptsAnotherToolsLockForOneTarget() throws Exception {
        Path file = SourceTrees.write(dir, "pylock.toml", "lock-version = '1.0'\ncreated-by = 'uv'\n"
                + "requires-python = '>=3.8'\n[[packages]]\nname = 'idna'\nversion = '3.7'\n"
                + "index = 'https://pypi.org/simple'\n[[packages.wheels]]\n"
                + "url = 'https://files.example/idna-3.7-py3-none-any.whl'\nsize = 66836\n"
                + "hashes = {sha256 = '" + "c".repeat(64) + "'}\n");
        Pylock lock = Pylock.read(file);
        assertEquals("uv", lock.createdBy());
        assertEquals("idna-3.7-py3-none-any.whl", lock.packages().get(0).wheelName());
        assertEquals(66836, lock.packages().get(0).size());
        assertEquals(List.of(), Locker.drift(lock, Map.of("requirements", List.of("idna"))));
    }

    @Test
    void read_refusesMultiPlatformLocksAndMissingHashes() throws Exception {
        Path file = SourceTrees.write(dir, "pylock.toml", "lock-version = '1.0'\ncreated-by = 'x'\n[[packages]]\n"
                + "name = 'a'\nversion = '1'\nwheels = [{url = 'u1', hashes = {sha256 = '1'}}, {url = 'u2', hashes = "
                + "{sha256 = '2'}}]\n");
        assertTrue(assertThrows(InvalidLockException.class, () -> Pylock.read(file)).getMessage()
                .contains("has 2 wheels"));
        Path v2 = SourceTrees.write(dir, "other.toml", "lock-version = '2.0'\ncreated-by = 'x'\n");
        assertTrue(assertThrows(InvalidLockException.class, () -> Pylock.read(v2)).getMessage()
                .contains("lock-version '2.0' is not supported"));
    }

    @Test
    void drift_namesWhatChangedSinceTheLock() {
        Pylock lock = sample(Map.of("requirements", List.of("demo", "six"), "target", List.of("python=3.8.0")));
        List<String> drift = Locker.drift(lock, Map.of("requirements", List.of("demo", "pandas"), "target",
                List.of("python=3.8.0")));
        assertEquals(List.of("requirements: added [pandas], removed [six]"), drift);
    }

    @Test
    void provided_acceptsExactPinsOrNamesOnly() {
        assertEquals(Map.of("numpy", "1.24.4", "py4j", "", "pyspark", ""),
                Locker.provided(List.of("NumPy==1.24.4"), true));
        assertEquals(Map.of(), Locker.provided(List.of(), false));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> Locker.provided(List.of("numpy>=1.24"), true));
        assertTrue(e.getMessage().contains("must name one exact version"));
    }
}

package io.github.pybundle.core.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Built environment archives kept by their inputs' key: copied back whole, dropped when changed, pruned. */
class BuiltArchiveCacheTest {
    private static final String KEY = "a".repeat(64);

    @TempDir
    Path dir;

    private Path built(String content) throws Exception {
        return Files.writeString(dir.resolve("built-" + content.length() + ".tar.gz"), content);
    }

    @Test
    void aStoredArchiveIsCopiedBackWithItsDigest_andAMissOrAChangedEntryIsNull() throws Exception {
        BuiltArchiveCache cache = new BuiltArchiveCache(dir.resolve("cache"));
        Path target = dir.resolve("target/app-pyenv.tar.gz");
        assertNull(cache.copyTo(KEY, target), "nothing stored yet");
        assertFalse(Files.exists(target));
        assertTrue(cache.store(KEY, built("archive bytes"), "d".repeat(64)));
        BuiltArchiveCache.Hit hit = cache.copyTo(KEY, target);
        assertEquals("d".repeat(64), hit.sha256());
        assertEquals("archive bytes", Files.readString(target));
        assertEquals(List.of(), leftovers(target.getParent()), "no temporary file left beside the output");
        Path stored = dir.resolve("cache/archives/v1/" + KEY + "/archive");
        assertTrue(Files.isSameFile(stored, target), "a hard link, not a copy of the bytes");

        // An output changed in place changes the entry it shares its bytes with: that entry is not used again.
        Files.writeString(target, "more", java.nio.file.StandardOpenOption.APPEND);
        Path other = dir.resolve("target2/app-pyenv.tar.gz");
        assertNull(cache.copyTo(KEY, other));
        assertFalse(Files.exists(other));
        assertTrue(cache.store(KEY, built("archive bytes"), "d".repeat(64)), "stored again");
        target = dir.resolve("target3/app-pyenv.tar.gz");
        assertEquals("archive bytes", Files.readString(cache.copyTo(KEY, target).archive()));

        // Changed in the cache (another size, or the same size with another time): not used, and dropped.
        stored = dir.resolve("cache/archives/v1/" + KEY + "/archive");
        Files.delete(stored); // a new file, not the output's bytes
        Files.writeString(stored, "tampered!!!!!");
        Files.setLastModifiedTime(stored, FileTime.fromMillis(Files.getLastModifiedTime(stored).toMillis() + 5000));
        Files.delete(target);
        assertNull(cache.copyTo(KEY, target));
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(stored.getParent()), "the changed entry is deleted, to be built again");
    }

    @Test
    void onlyTheMostRecentlyUsedEntriesAreKept() throws Exception {
        BuiltArchiveCache cache = new BuiltArchiveCache(dir.resolve("cache"));
        Path root = dir.resolve("cache/archives/v1");
        for (int i = 0; i < 5; i++) {
            String key = Integer.toString(i).repeat(64);
            assertTrue(cache.store(key, built("x".repeat(i + 1)), "d".repeat(64)));
            Files.setLastModifiedTime(root.resolve(key), FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        try (Stream<Path> s = Files.list(root)) {
            List<String> left = s.map(p -> p.getFileName().toString().substring(0, 1)).sorted().toList();
            assertEquals(List.of("2", "3", "4"), left, "the last stored and the two used most recently before it");
        }
        // The one used (copied) is kept over newer ones.
        assertTrue(cache.copyTo("2".repeat(64), dir.resolve("out/a.tar.gz")) != null);
        assertTrue(cache.store("5".repeat(64), built("y".repeat(9)), "d".repeat(64)));
        try (Stream<Path> s = Files.list(root)) {
            List<String> left = s.map(p -> p.getFileName().toString().substring(0, 1)).sorted().toList();
            assertEquals(List.of("2", "4", "5"), left);
        }
        assertArrayEquals("xxx".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("out/a.tar.gz")));
    }

    private static List<Path> leftovers(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}

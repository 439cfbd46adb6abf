package io.github.pybundle.core.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.spec.dist.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCacheTest {
    @TempDir
    Path dir;

    @Test
    void aCachedFileIsKnownByItsPlaceAndAnyOtherFileIsNot() throws Exception {
        byte[] content = "wheel".getBytes(StandardCharsets.UTF_8);
        String sha = Digests.sha256Hex(Files.write(dir.resolve("x"), content));
        Path stored = new FileCache(dir.resolve("cache"), BuildListener.silent()).getOrProduce(sha,
                "pkg-1.0-py3-none-any.whl", t -> {
                    Files.write(t, content);
                    return sha;
                });
        assertEquals(sha, FileCache.sha256Named(stored));
        assertNull(FileCache.sha256Named(dir.resolve("x")));
        Path lookalike = Files.createDirectories(dir.resolve("elsewhere/sha256").resolve(sha.substring(0, 2))
                .resolve(sha)).resolve("pkg-1.0-py3-none-any.whl");
        assertNull(FileCache.sha256Named(lookalike), "only a files/sha256/ bucket names digests");
    }

    // A warm build stats a cached wheel instead of hashing it again, as long as its size and time are the ones it had
    // when last hashed; any other change is caught and the entry fetched again.
    @Test
    void lookup_hashesAgainOnlyWhenSizeOrTimeChanged() throws Exception {
        byte[] content = "wheel content".getBytes(StandardCharsets.UTF_8);
        String sha = Digests.sha256Hex(Files.write(dir.resolve("x"), content));
        FileCache cache = new FileCache(dir.resolve("cache"), BuildListener.silent());
        Path stored = cache.getOrProduce(sha, "pkg-1.0-py3-none-any.whl", t -> {
            Files.write(t, content);
            return sha;
        });
        Path stamp = stored.resolveSibling(stored.getFileName() + FileCache.VERIFIED);
        assertEquals(content.length + " " + Files.getLastModifiedTime(stored).toMillis() + "\n", Files.readString(stamp));
        assertEquals(stored, cache.lookup(sha, "pkg-1.0-py3-none-any.whl"));

        // Same size and time, other bytes: not seen at lookup (the documented trade-off; the checks read it later).
        java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(stored);
        Files.write(stored, "WHEEL CONTENT".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(stored, time);
        assertEquals(stored, cache.lookup(sha, "pkg-1.0-py3-none-any.whl"));

        // Any other change: hashed, found corrupt, removed with its stamp.
        Files.write(stored, "truncated".getBytes(StandardCharsets.UTF_8));
        assertNull(cache.lookup(sha, "pkg-1.0-py3-none-any.whl"));
        assertEquals(false, Files.exists(stored) || Files.exists(stamp));
    }
}

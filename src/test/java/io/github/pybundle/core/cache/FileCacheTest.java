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
}

package io.github.pybundle.core.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pages kept by URL with their validators; an entry cut short, or another URL's, is as none (fetched again). */
class PageCacheTest {
    private static final String URL = "https://index.example/simple/numpy/";

    @TempDir
    Path dir;

    private Path only() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("pages-v2"))) {
            List<Path> files = s.toList();
            assertEquals(1, files.size(), files.toString());
            return files.get(0);
        }
    }

    @Test
    void aPageComesBackAsItCame_bodyHeadersAndValidators() throws Exception {
        PageCache cache = new PageCache(dir);
        assertNull(cache.get(URL));
        byte[] body = "{\"files\": []}\n\nline\r\nbinary \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        cache.put(URL, new PageCache.Entry(200, "application/vnd.pypi.simple.v1+json", "\"etag\nwith newline\"",
                "Wed, 21 Oct 2015 07:28:00 GMT", body));
        PageCache.Entry e = cache.get(URL);
        assertEquals(200, e.status());
        assertEquals("application/vnd.pypi.simple.v1+json", e.contentType());
        assertEquals("\"etag\nwith newline\"", e.etag());
        assertEquals("Wed, 21 Oct 2015 07:28:00 GMT", e.lastModified());
        assertArrayEquals(body, e.body());
        assertNull(cache.get(URL + "other/"));

        cache.put(URL, new PageCache.Entry(404, null, null, null, new byte[0]));
        assertEquals(404, cache.get(URL).status(), "a missing project is remembered too");
        assertEquals(0, cache.get(URL).body().length);
    }

    @Test
    void headerValuesOfAnyCharacterComeBackAsTheyWere() throws Exception {
        PageCache cache = new PageCache(dir);
        String url = "https://index.example/simple/caf\u00e9/?q=\"x\"\\y";
        String etag = "W/\"q\\u0022 \\ \u0001\u001f \u007f \u00e9 \ud83d\ude00 \t\r\n end\"";
        cache.put(url, new PageCache.Entry(200, null, etag, null, new byte[] {1, 2}));
        PageCache.Entry e = cache.get(url);
        assertEquals(etag, e.etag());
        assertNull(e.contentType());
        assertNull(e.lastModified());
        assertArrayEquals(new byte[] {1, 2}, e.body());
        byte[] stored = Files.readAllBytes(only());
        int newline = new String(stored, StandardCharsets.ISO_8859_1).indexOf('\n');
        for (int i = 0; i < newline; i++) {
            assertTrue(stored[i] >= 0x20 && stored[i] < 0x7f, "the header line is printable ASCII");
        }
        assertEquals(stored.length - 3, newline, "one header line, then the body");
    }

    @Test
    void anEntryCutShortOrForAnotherUrl_isAsNone() throws Exception {
        PageCache cache = new PageCache(dir);
        cache.put(URL, new PageCache.Entry(200, "text/html", null, null, "<a href=x>x</a>".getBytes()));
        Path f = only();
        byte[] whole = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(whole, whole.length - 3));
        assertNull(cache.get(URL), "a body shorter than its header says");
        Files.write(f, java.util.Arrays.copyOf(whole, 10));
        assertNull(cache.get(URL), "no header line");
        Files.write(f, new String(whole, StandardCharsets.UTF_8).replace(URL, "https://evil.example/")
                .getBytes(StandardCharsets.UTF_8));
        assertNull(cache.get(URL), "another URL's page under this URL's name");
    }
}

package io.github.pybundle.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the index page fuzz tests ({@link JsonPageFuzzTest}, {@link HtmlPageFuzzTest}) found, reduced: each page is
 * read, its bad link left out and described, instead of the whole page failing with another exception.
 */
class PageFuzzFindingsTest {
    private static final URI PAGE = URI.create("https://pypi.org/simple/pkg/");

    private static List<String> names(String body, String type, List<String> ignored) throws Exception {
        return SimplePageParser.parse(body.getBytes(StandardCharsets.UTF_8), type, PAGE, "pypi", ignored).stream()
                .map(DistributionFile::filename).toList();
    }

    // Was: IllegalArgumentException (java.net.URISyntaxException, "Illegal character in path") for the whole page.
    @Test
    void aJsonLinkThatIsNoUriIsLeftOut() throws Exception {
        List<String> ignored = new ArrayList<>();
        String body = "{\"meta\":{\"api-version\":\"1.1\"},\"files\":["
                + "{\"filename\":\"pkg-1.0.tar.gz\",\"url\":\"pkg-1.0.tar.gz{\",\"hashes\":{}},"
                + "{\"filename\":\"pkg-1.0-py3-none-any.whl\",\"url\":\"pkg-1.0-py3-none-any.whl\",\"hashes\":{}}]}";
        assertEquals(List.of("pkg-1.0-py3-none-any.whl"), names(body, SimplePageParser.JSON_TYPE, ignored));
        assertEquals(List.of("'pkg-1.0.tar.gz': its URL is not a valid URI"), ignored);
    }

    // Was: the same IllegalArgumentException from an HTML page; the message names the file, not the href, which may
    // hold a password.
    @Test
    void anHtmlLinkThatIsNoUriIsLeftOut() throws Exception {
        List<String> ignored = new ArrayList<>();
        String body = "<a href=\"https://user:secret@files.example/pkg-1.0.tar.gz|\">pkg-1.0.tar.gz</a>"
                + "<a href=\"pkg-1.0-py3-none-any.whl\">pkg-1.0-py3-none-any.whl</a>";
        assertEquals(List.of("pkg-1.0-py3-none-any.whl"), names(body, "text/html", ignored));
        assertEquals(List.of("'pkg-1.0.tar.gz': its URL is not a valid URI"), ignored);
    }

    // Was: NullPointerException taking the file name from the path of an opaque URI, which has none.
    @Test
    void anHtmlLinkToAnOpaqueUriWithoutTextIsLeftOut() throws Exception {
        List<String> ignored = new ArrayList<>();
        assertEquals(List.of(), names("<a href=\"mailto:pkg-1.0.tar.gz\"></a>", "text/html", ignored));
        assertEquals(List.of("'': it is empty"), ignored);
    }

    // Seen on the real pandas and pytz pages: hundreds of legacy uploads (.exe installers, eggs, .tar.bz2 sdists)
    // were each reported as an "unsafe link". They are plain file names pybundle does not use: left out quietly.
    @Test
    void legacyUploadsAreLeftOutWithoutAWarning() throws Exception {
        List<String> ignored = new ArrayList<>();
        String body = "<a href=\"pkg-0.1.win32-py2.5.exe\">pkg-0.1.win32-py2.5.exe</a>"
                + "<a href=\"pkg-2015.2-py3.4.egg\">pkg-2015.2-py3.4.egg</a>"
                + "<a href=\"pkg-2015.2.tar.bz2\">pkg-2015.2.tar.bz2</a>"
                + "<a href=\"pkg-1.0-py3-none-any.whl\">pkg-1.0-py3-none-any.whl</a>"
                + "<a href=\"../evil\">..%2Fevil-1.0.tar.gz</a><a href=\"x\">pkg/../../x-1.0.tar.gz</a>";
        assertEquals(List.of("pkg-1.0-py3-none-any.whl"), names(body, "text/html", ignored));
        assertEquals(List.of("'..%2Fevil-1.0.tar.gz': it starts with '.' or contains ':'",
                "'pkg/../../x-1.0.tar.gz': it contains a path separator"), ignored, "what could do harm is reported");
    }

    // The fuzz tests start from these pages: they must give files, or the fuzzers would check nothing.
    @Test
    void theFuzzSeedsGiveFiles() throws Exception {
        int json = 0;
        for (JsonPageFuzzTest.Page p : JsonPageFuzzTest.seeds().toList()) {
            json += SimplePageParser.parse(p.body(), SimplePageParser.JSON_TYPE, PageContract.page(p.page()), "s")
                    .size();
        }
        int html = 0;
        for (HtmlPageFuzzTest.Page p : HtmlPageFuzzTest.seeds().toList()) {
            html += SimplePageParser.parse(p.body(), "text/html", PageContract.page(p.page()), "s").size();
        }
        assertEquals(5, json);
        assertEquals(7, html);
    }
}

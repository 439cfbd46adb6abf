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

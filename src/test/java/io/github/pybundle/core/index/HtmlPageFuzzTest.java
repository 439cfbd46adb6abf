package io.github.pybundle.core.index;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithSize;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Structure-aware fuzzing of {@link SimplePageParser} on PEP 503 HTML pages and find-links listings: Jazzer mutates
 * a {@link Page} of anchors (href, fragment, text and the PEP 592/658/714 data attributes, escaped or inserted raw)
 * and a raw head (where {@code <base href>} goes). See docs/security.md.
 */
class HtmlPageFuzzTest {
    /**
     * One anchor; a null attribute is left out.
     *
     * @param href the href, before the fragment
     * @param fragment the fragment ({@code sha256=...}), or null
     * @param text the anchor text (the file name)
     * @param more raw text inside the start tag
     */
    public record Link(String href, String fragment, String text, String yanked, String coreMetadata,
                       String requiresPython, String more) {
        String html(boolean escape) {
            StringBuilder sb = new StringBuilder("<a");
            attribute(sb, "href", href == null ? null : href + (fragment == null ? "" : "#" + fragment), escape);
            attribute(sb, "data-yanked", yanked, escape);
            attribute(sb, "data-core-metadata", coreMetadata, escape);
            attribute(sb, "data-requires-python", requiresPython, escape);
            if (more != null) {
                sb.append(' ').append(more);
            }
            return sb.append('>').append(text == null ? "" : escape ? escape(text) : text).append("</a><br/>\n")
                    .toString();
        }
    }

    /**
     * A page.
     *
     * @param page which of {@link PageContract#PAGES} it was fetched from
     * @param head raw HTML in the head
     * @param links the anchors
     * @param escape whether attribute values and texts are escaped, else inserted raw
     */
    public record Page(int page, String head, @NotNull @WithSize(max = 8) List<Link> links, boolean escape) {
        byte[] body() {
            StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head>").append(head == null ? "" : head)
                    .append("</head><body><h1>Links for pkg</h1>\n");
            (links == null ? List.<Link>of() : links).forEach(l -> sb.append(l == null ? "" : l.html(escape)));
            return sb.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static void attribute(StringBuilder sb, String name, String value, boolean escape) {
        if (value != null) {
            sb.append(' ').append(name).append("=\"").append(escape ? escape(value) : value).append('"');
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static Stream<Page> seeds() {
        String hex = "0123456789abcdef".repeat(4);
        Link wheel = new Link("https://files.example/p/pkg-1.0-py3-none-any.whl", "sha256=" + hex,
                "pkg-1.0-py3-none-any.whl", null, "sha256=" + hex, "&gt;=3.8", null);
        Link sdist = new Link("../../packages/pkg-1.0.tar.gz", "sha256=" + hex, "pkg-1.0.tar.gz", "broken", "true",
                null, "rel=\"internal\"");
        Link bare = new Link("pkg-1.0-1-cp311-cp311-manylinux_2_17_x86_64.whl", "md5=" + "c".repeat(32), "", null,
                null, null, null);
        return Stream.of(new Page(0, "", List.of(wheel, sdist, bare), true),
                new Page(1, "<base href=\"https://mirror.example/base/\">", List.of(sdist, bare), true),
                new Page(3, "<meta name=\"pypi:repository-version\" content=\"1.0\">", List.of(bare, wheel), false));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void htmlPage(@NotNull Page page) throws java.io.IOException {
        PageContract.check(page.body(), "text/html; charset=utf-8", PageContract.page(page.page()));
    }
}

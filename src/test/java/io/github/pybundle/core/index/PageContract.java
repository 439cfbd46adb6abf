package io.github.pybundle.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.dist.DistributionFilename;
import io.github.pybundle.testing.FuzzFindings;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the index page fuzz tests hold {@link SimplePageParser} to: a list or an {@link IOException} (malformed JSON),
 * never another exception; every file returned has a safe distribution file name, digests of the exact hex form of
 * their algorithm, and an http or https URL ({@code file:} only from a local page), without fragment.
 */
final class PageContract {
    /** Page URLs the fuzzer picks from: remote ones, one with a query and user info, and a local find-links folder. */
    static final List<URI> PAGES = List.of(URI.create("https://pypi.org/simple/pkg/"),
            URI.create("http://127.0.0.1:8080/simple/pkg/"), URI.create("https://user:pw@repo.example/simple/pkg/?a=1"),
            URI.create("file:///tmp/links/"));

    private PageContract() {
    }

    static URI page(int index) {
        return PAGES.get(Math.floorMod(index, PAGES.size()));
    }

    static void check(byte[] body, String contentType, URI pageUrl) throws IOException {
        try {
            checked(body, contentType, pageUrl);
        } catch (Throwable t) {
            FuzzFindings.keep(body, (contentType.contains("json") ? ".json" : ".html")
                    + "." + PAGES.indexOf(pageUrl));
            throw t;
        }
    }

    private static void checked(byte[] body, String contentType, URI pageUrl) {
        List<String> ignored = new ArrayList<>();
        List<DistributionFile> files;
        try {
            files = SimplePageParser.parse(body, contentType, pageUrl, "fuzz", ignored);
        } catch (IOException e) {
            return; // malformed JSON, an unsupported API version
        }
        if (contentType.contains("json")) { // the streamed reading, where it applies, reads what the tree reads
            List<String> streamedIgnored = new ArrayList<>();
            List<DistributionFile> streamed = SimplePageParser.streamed(body, pageUrl, "fuzz", streamedIgnored);
            if (streamed != null) {
                List<String> treeIgnored = new ArrayList<>();
                List<DistributionFile> tree;
                try {
                    tree = SimplePageParser.tree(body, pageUrl, "fuzz", treeIgnored);
                } catch (IOException e) {
                    throw new AssertionError("streamed a page the tree refuses: " + e.getMessage(), e);
                }
                assertEquals(tree, streamed);
                assertEquals(treeIgnored, streamedIgnored);
            }
        }
        boolean local = pageUrl.getScheme().equals("file");
        for (DistributionFile f : files) {
            assertNull(DistributionFilename.problem(f.filename()), () -> "unsafe file name " + f);
            for (Map<String, String> hashes : java.util.Arrays.asList(f.hashes(), f.metadataHashes())) {
                if (hashes != null) {
                    hashes.forEach((algorithm, hex) -> assertTrue(!Digests.HEX_LENGTH.containsKey(algorithm)
                            || Digests.isHex(algorithm, hex), () -> "bad " + algorithm + " digest in " + f));
                }
            }
            String sha256 = f.sha256();
            assertTrue(sha256 == null || sha256.matches("[0-9a-fA-F]{64}"), () -> "bad sha256 " + f);
            String scheme = String.valueOf(f.url().getScheme()).toLowerCase(Locale.ROOT);
            assertTrue(scheme.equals("https") || scheme.equals("http") || local && scheme.equals("file"),
                    () -> "URL scheme not allowed: " + f);
            assertNull(f.url().getRawFragment(), () -> "URL with a fragment: " + f);
            assertEquals("fuzz", f.sourceId());
            f.metadataUrl();
        }
    }
}

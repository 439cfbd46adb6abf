package io.github.pybundle.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A JSON page of the usual shape is read as a stream of tokens; any other shape by the tree parser. Either way a page
 * gives the same files, and the same links ignored, as the tree parser alone gives.
 */
class JsonPageStreamingTest {
    private static final URI PAGE = URI.create("https://pypi.org/simple/demo/");
    private static final String SHA = "a".repeat(64);

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static List<DistributionFile> tree(byte[] body, List<String> ignored) throws IOException {
        return SimplePageParser.tree(body, PAGE, "pypi", ignored);
    }

    /** What the parser returns, after checking that a streamed reading, if any, equals the tree's. */
    private static List<DistributionFile> sameEitherWay(String json) throws IOException {
        List<String> ignored = new ArrayList<>();
        List<DistributionFile> viaParse = SimplePageParser.json(bytes(json), PAGE, "pypi", ignored);
        List<String> treeIgnored = new ArrayList<>();
        assertEquals(tree(bytes(json), treeIgnored), viaParse, json);
        assertEquals(treeIgnored, ignored, json);
        return viaParse;
    }

    private static String file(String fields) {
        return "{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"../../files/demo-1.0-py3-none-any.whl\","
                + " \"hashes\": {\"sha256\": \"" + SHA + "\"}" + fields + "}";
    }

    private static String page(String... files) {
        return "{\"meta\": {\"api-version\": \"1.1\", \"_last-serial\": 7}, \"name\": \"demo\", \"files\": ["
                + String.join(", ", files) + "], \"versions\": [\"1.0\"]}";
    }

    @Test
    void aPageOfTheUsualShapeIsStreamed_andReadsAsTheTreeReadsIt() throws IOException {
        String json = page(file(", \"requires-python\": \">=3.9\", \"size\": 1234, \"upload-time\":"
                        + " \"2024-01-01T00:00:00Z\", \"yanked\": false, \"core-metadata\": {\"SHA256\": \"" + SHA.toUpperCase()
                        + "\"}, \"data-dist-info-metadata\": {\"sha256\": \"" + SHA + "\"}"),
                file(", \"yanked\": \"broken build\", \"dist-info-metadata\": true, \"requires-python\": null"),
                file(", \"yanked\": true, \"core-metadata\": false, \"dist-info-metadata\": true"),
                "{\"filename\": \"demo-1.0.tar.gz\", \"url\": \"https://files.example/demo-1.0.tar.gz#sha256=" + SHA
                        + "\", \"hashes\": {}, \"requires-python\": \"  \"}",
                "{\"filename\": \"bad.whl\", \"url\": \"https://files.example/a b/%zz\", \"hashes\": {}}");
        assertNotNull(SimplePageParser.streamed(bytes(json), PAGE, "pypi", new ArrayList<>()), "streamed");
        List<DistributionFile> files = sameEitherWay(json);
        assertEquals(4, files.size(), files.toString());
        DistributionFile first = files.get(0);
        assertEquals(URI.create("https://pypi.org/files/demo-1.0-py3-none-any.whl"), first.url());
        assertEquals(Map.of("sha256", SHA), first.metadataHashes(), "core-metadata wins, lower-cased");
        assertEquals(1234, first.size());
        assertEquals(">=3.9", first.requiresPython());
        assertNull(first.yanked());
        assertEquals("broken build", files.get(1).yanked());
        assertEquals(Map.of(), files.get(1).metadataHashes());
        assertNull(files.get(1).requiresPython());
        assertEquals("", files.get(2).yanked());
        assertNull(files.get(2).metadataHashes(), "core-metadata false, though dist-info-metadata is true");
        assertEquals(URI.create("https://files.example/demo-1.0.tar.gz"), files.get(3).url());
        assertNull(files.get(3).requiresPython());
    }

    @Test
    void aLargePageIsStreamed() throws IOException {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            files.add("{\"filename\": \"demo-1." + i + "-cp311-cp311-manylinux_2_17_x86_64.whl\", \"url\":"
                    + " \"https://files.example/demo-1." + i + "-cp311-cp311-manylinux_2_17_x86_64.whl\", \"hashes\":"
                    + " {\"sha256\": \"" + SHA + "\"}, \"requires-python\": \">=3.9\", \"size\": " + i
                    + ", \"yanked\": false}");
        }
        String json = page(files.toArray(String[]::new));
        assertNotNull(SimplePageParser.streamed(bytes(json), PAGE, "pypi", new ArrayList<>()));
        assertEquals(3000, sameEitherWay(json).size());
    }

    // Shapes the API does not give, each read by the tree parser with its own coercions.
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"meta\": {\"api-version\": 1.1}, \"files\": []}",
        "{\"meta\": [], \"files\": []}",
        "{\"files\": {\"a\": {\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"x.whl\"}}}",
        "{\"files\": [{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"x.whl\", \"yanked\": 1}]}",
        "{\"files\": [{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"x.whl\", \"size\": \"12\"}]}",
        "{\"files\": [{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"x.whl\", \"size\": 1.5}]}",
        "{\"files\": [{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"x.whl\", \"size\": 99999999999999999999}]}",
        "{\"files\": [{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": null}]}",
        "{\"files\": [{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"x.whl\", \"url\": \"y.whl\"}]}",
        "{\"files\": [{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"x.whl\", \"hashes\": {\"SHA256\": \"AB\","
                + " \"sha256\": \"cd\"}}]}",
        "{\"files\": [{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"x.whl\", \"hashes\": [1]}]}",
        "{\"files\": [{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"x.whl\", \"hashes\": {\"sha256\": 5}}]}",
        "{\"files\": [{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"x.whl\", \"core-metadata\": \"true\"}]}",
        "{\"files\": [{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"x.whl\", \"core-metadata\": null,"
                + " \"dist-info-metadata\": true}]}",
        "{\"files\": [{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"x.whl\", \"requires-python\": 3}]}",
        "{\"files\": [], \"files\": [{\"filename\": \"demo-1.0-py3-none-any.whl\", \"url\": \"x.whl\"}]}",
        "{\"files\": [5]}",
        "[]",
        "",
        "{\"files\": []} trailing",
    })
    void otherShapesAreReadAsTheTreeReadsThem(String json) throws IOException {
        sameEitherWay(json);
    }

    @Test
    void aPageThatCouldHoldAStringTooLongForJacksonIsLeftToTheTree_whichRefusesIt() {
        String huge = "x".repeat(com.fasterxml.jackson.core.StreamReadConstraints.DEFAULT_MAX_STRING_LEN + 1);
        String json = "{\"meta\": {\"api-version\": \"1.1\"}, \"comment\": \"" + huge + "\", \"files\": []}";
        assertNull(SimplePageParser.streamed(bytes(json), PAGE, "pypi", new ArrayList<>()),
                "skipping the string would not check its length");
        assertThrows(IOException.class, () -> SimplePageParser.json(bytes(json), PAGE, "pypi", new ArrayList<>()));
    }

    @Test
    void anUnsupportedApiVersionOrMalformedJsonIsRefusedEitherWay() {
        for (String json : List.of("{\"meta\": {\"api-version\": \"2.0\"}, \"files\": []}", "{\"files\": [",
                "{\"files\": [{\"filename\": }]}")) {
            assertNull(SimplePageParser.streamed(bytes(json), PAGE, "pypi", new ArrayList<>()), json);
            assertThrows(IOException.class, () -> SimplePageParser.json(bytes(json), PAGE, "pypi", new ArrayList<>()),
                    json);
        }
    }
}

package io.github.pybundle.core.index;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.InRange;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithSize;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Structure-aware fuzzing of {@link SimplePageParser} on PEP 691 JSON pages: Jazzer mutates a {@link Page} of files
 * whose every field is a string rendered as a JSON string, number, boolean, null, object or array (or left out), so
 * that the parser sees valid JSON of every shape. See docs/security.md.
 */
class JsonPageFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * A JSON value as the fuzzer shapes it.
     *
     * @param text the text
     * @param shape 0: left out, 1: a string, 2: a number, 3: a boolean, 4: null, 5: an object, 6: an array
     */
    public record Value(String text, @InRange(min = 0, max = 6) int shape) {
        JsonNode node() {
            String t = text == null ? "" : text;
            return switch (shape) {
                case 0 -> null;
                case 2 -> t.matches("-?\\d{1,18}") ? NODES.numberNode(Long.parseLong(t)) : NODES.numberNode(t.length());
                case 3 -> NODES.booleanNode(!t.isEmpty() && !t.equals("false"));
                case 4 -> NODES.nullNode();
                case 5 -> NODES.objectNode().put(t, t);
                case 6 -> NODES.arrayNode().add(t);
                default -> NODES.textNode(t);
            };
        }
    }

    /**
     * A digest map (hashes, core-metadata): an object of its entries, or another shape.
     *
     * @param digests algorithm to digest
     * @param shape 1: an object of the digests; else as {@link Value#shape()} with the first algorithm as text
     */
    public record Digests(@WithSize(max = 4) Map<String, String> digests, @InRange(min = 0, max = 6) int shape) {
        JsonNode node() {
            Map<String, String> d = digests == null ? Map.of() : digests;
            if (shape != 1) {
                return new Value(d.keySet().stream().filter(Objects::nonNull).findFirst().orElse(""), shape).node();
            }
            ObjectNode o = NODES.objectNode();
            d.forEach((k, v) -> o.put(k == null ? "" : k, v));
            return o;
        }
    }

    /** One entry of {@code files}. */
    public record File(Value filename, Value url, Digests hashes, Value requiresPython, Value yanked,
                       Digests coreMetadata, boolean legacyMetadataKey, Value size) {
        JsonNode node() {
            ObjectNode o = NODES.objectNode();
            put(o, "filename", filename == null ? null : filename.node());
            put(o, "url", url == null ? null : url.node());
            put(o, "hashes", hashes == null ? null : hashes.node());
            put(o, "requires-python", requiresPython == null ? null : requiresPython.node());
            put(o, "yanked", yanked == null ? null : yanked.node());
            put(o, legacyMetadataKey ? "dist-info-metadata" : "core-metadata",
                    coreMetadata == null ? null : coreMetadata.node());
            put(o, "size", size == null ? null : size.node());
            return o;
        }
    }

    /**
     * A project page.
     *
     * @param page which of {@link PageContract#PAGES} it was fetched from
     * @param apiVersion {@code meta.api-version}
     * @param files the files
     */
    public record Page(int page, Value apiVersion, @NotNull @WithSize(max = 8) List<File> files) {
        byte[] body() {
            ObjectNode root = NODES.objectNode();
            put(root, "meta", apiVersion == null || apiVersion.node() == null ? null
                    : NODES.objectNode().set("api-version", apiVersion.node()));
            root.put("name", "pkg");
            var array = root.putArray("files");
            (files == null ? List.<File>of() : files).forEach(f -> array.add(f == null ? NODES.nullNode() : f.node()));
            try {
                return JSON.writeValueAsBytes(root);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void put(ObjectNode o, String key, JsonNode value) {
        if (value != null) {
            o.set(key, value);
        }
    }

    private static Value s(String text) {
        return new Value(text, 1);
    }

    private static Digests sha256(String hex) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("sha256", hex);
        return new Digests(d, 1);
    }

    static Stream<Page> seeds() {
        String hex = "a".repeat(32) + "0123456789abcdef".repeat(2);
        File wheel = new File(s("pkg-1.0-py3-none-any.whl"), s("https://files.example/p/pkg-1.0-py3-none-any.whl"),
                sha256(hex), s(">=3.8"), new Value("false", 3), sha256(hex), false, new Value("1234", 2));
        File sdist = new File(s("pkg-1.0.tar.gz"), s("../../packages/pkg-1.0.tar.gz#sha256=" + hex), sha256(hex),
                new Value("", 0), s("broken build"), new Digests(Map.of(), 3), true, new Value("", 0));
        File native_ = new File(s("pkg-1.0-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"),
                s("/files/pkg-1.0-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"),
                new Digests(Map.of("sha512", "b".repeat(128), "md5", "c".repeat(32)), 1), s("<4,>=3.9"),
                new Value("true", 3), new Digests(Map.of(), 0), false, new Value("99", 2));
        return Stream.of(new Page(0, s("1.1"), List.of(wheel, sdist, native_)),
                new Page(3, s("1.0"), List.of(new File(s("pkg-1.0-py3-none-any.whl"), s("pkg-1.0-py3-none-any.whl"),
                        sha256(hex), null, null, null, false, null))),
                new Page(2, new Value("", 0), List.of(sdist)));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void jsonPage(@NotNull Page page) throws java.io.IOException {
        PageContract.check(page.body(), SimplePageParser.JSON_TYPE, PageContract.page(page.page()));
    }
}

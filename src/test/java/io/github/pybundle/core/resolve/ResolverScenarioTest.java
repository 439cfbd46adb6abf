package io.github.pybundle.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.spec.pep508.Requirement;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.maven.PomWords;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Resolver scenarios as data ({@code src/test/resources/resolve/*.json}): an index, a target, what is requested, and
 * the expected resolution or the expected explanation. Each runs against a loopback index built from the data, through
 * the same provider the plugin uses.
 */
class ResolverScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("src/test/resources/resolve");

    @TempDir
    Path cache;

    static Stream<String> scenarios() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
        }
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario(String file) throws Exception {
        JsonNode s = JSON.readTree(DIR.resolve(file).toFile());
        try (TestIndexServer server = new TestIndexServer()) {
            for (Map.Entry<String, JsonNode> project : (Iterable<Map.Entry<String, JsonNode>>) s.get("index")::fields) {
                for (JsonNode v : project.getValue()) {
                    String version = v.get("version").asText();
                    if (v.path("sdist").asBoolean()) {
                        server.addFile(project.getKey(), project.getKey() + "-" + version + ".tar.gz", new byte[] {1});
                        continue;
                    }
                    for (String tag : strings(v.get("tags"))) {
                        TestWheels.Spec spec = new TestWheels.Spec(project.getKey(), version, tag, strings(v.get("deps")),
                                v.hasNonNull("requires_python") ? v.get("requires_python").asText() : null,
                                Map.of(project.getKey().replace('-', '_') + "/__init__.py", ""));
                        TestIndexServer.File f = server.add(spec);
                        if (v.has("yanked")) {
                            f.yanked = v.get("yanked").asText();
                        }
                        if (v.has("index_requires_python")) {
                            f.requiresPython = v.get("index_requires_python").asText();
                        }
                    }
                }
            }
            JsonNode t = s.get("target");
            Target target = Target.of(new Target.Spec(t.get("pythonVersion").asText(), null, null, null,
                    t.has("platforms") ? strings(t.get("platforms")) : null, null));
            IndexConfiguration config = new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                    PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(), cache, 2);
            IndexConfiguration.Repository repo = config.open(BuildListener.silent());
            List<Resolver.Root> reqs = new ArrayList<>();
            List<String> rs = strings(s.get("requirements"));
            for (int i = 0; i < rs.size(); i++) {
                reqs.add(new Resolver.Root(Requirement.parse(rs.get(i)), "<requirements> entry " + (i + 1)));
            }
            List<Resolver.Root> cons = new ArrayList<>();
            if (s.has("constraints")) {
                strings(s.get("constraints")).forEach(c -> cons.add(new Resolver.Root(Requirement.parse(c),
                        "<constraints>")));
            }
            Map<String, String> provided = new LinkedHashMap<>();
            if (s.has("provided")) {
                s.get("provided").fields().forEachRemaining(e -> provided.put(e.getKey(), e.getValue().asText()));
            }
            Resolver.Request request = new Resolver.Request(reqs, cons, provided, false, target.markers(),
                    target.describe());
            if (s.has("error")) {
                ResolutionException e;
                try (IndexProvider provider = new IndexProvider(repo, target)) {
                    e = assertThrows(ResolutionException.class, () -> new Resolver(provider).resolve(request));
                }
                String message = PomWords.render(e.getMessage());
                for (String expected : strings(s.get("error"))) {
                    assertTrue(message.contains(expected), "expected '" + expected + "' in:\n" + message);
                }
                return;
            }
            Resolution r;
            try (IndexProvider provider = new IndexProvider(repo, target)) {
                r = new Resolver(provider).resolve(request);
            }
            Map<String, String> actual = new LinkedHashMap<>();
            r.pins().forEach(p -> actual.put(p.candidate().name(), p.candidate().version().toString()));
            Map<String, String> expected = new LinkedHashMap<>();
            s.get("expected").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
            assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(actual), s.get("description").asText());
            if (s.has("expected_files")) {
                s.get("expected_files").fields().forEachRemaining(e -> assertEquals(e.getValue().asText(),
                        r.pins().stream().filter(p -> p.candidate().name().equals(e.getKey())).findFirst()
                                .orElseThrow().candidate().file().filename()));
            }
        }
    }
}

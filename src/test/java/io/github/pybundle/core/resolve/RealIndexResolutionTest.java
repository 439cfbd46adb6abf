package io.github.pybundle.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.index.PipConfiguration;
import io.github.pybundle.core.net.FetchException;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep508.Requirement;
import io.github.pybundle.core.spec.tags.PlatformTags;
import io.github.pybundle.core.target.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Resolves a real data-science stack from the index this machine's pip uses and compares the result with pip's own
 * resolver for the same target ({@code pip install --dry-run --report} with --python-version, --implementation, --abi,
 * --only-binary :all: and the same platform list). Needs the network and python3 with pip: skipped with the reason on
 * a developer machine without them, a failure in CI.
 */
class RealIndexResolutionTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"3.9, manylinux2014_x86_64, pandas scikit-learn pyarrow",
        "3.11, manylinux_2_28_x86_64, pandas scikit-learn pyarrow",
        "3.11, manylinux_2_28_x86_64, jupyter"})
    void realStacks_resolveAsPipDoesForTheSameTarget(String python, String platform, String requirements)
            throws Exception {
        List<String> stack = List.of(requirements.split(" "));
        PipConfiguration pip = PipConfiguration.load(System.getenv(), System.getProperty("user.home"));
        String url = pip.indexUrl() != null ? pip.indexUrl() : PackageSource.DEFAULT_INDEX;
        Target target = Target.of(new Target.Spec(python, null, null, null, List.of(platform), null));
        NetworkSettings net = NetworkSettings.defaults();
        if (pip.cert() != null) {
            net = net.withCaCertificates(Path.of(pip.cert()));
        }
        IndexConfiguration config = new IndexConfiguration(List.of(PackageSource.of("pip-index", url,
                PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), net, dir.resolve("cache"), 4);
        List<Resolver.Root> roots = new ArrayList<>();
        stack.forEach(r -> roots.add(new Resolver.Root(Requirement.parse(r), "test")));
        Resolution ours;
        long start = System.nanoTime();
        try {
            ours = new Resolver(new IndexProvider(config.open(BuildListener.silent()), target)).resolve(
                    new Resolver.Request(roots, List.of(), Map.of(), false, target.markers(), target.describe()));
        } catch (FetchException e) {
            unavailable("the package index " + url + " is not reachable: " + e.getMessage());
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, String> mine = new TreeMap<>();
        ours.pins().forEach(p -> mine.put(p.candidate().name(), p.candidate().version().toString()));

        List<String> cmd = new ArrayList<>(List.of("python3", "-m", "pip", "install", "--dry-run", "--ignore-installed",
                "--quiet", "--report", dir.resolve("report.json").toString(), "--only-binary", ":all:",
                "--python-version", python, "--implementation", "cp", "--abi", target.abis().get(0),
                "--target", dir.resolve("pip-target").toString()));
        PlatformTags.expand(platform).forEach(p -> cmd.addAll(List.of("--platform", p)));
        cmd.addAll(stack);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            unavailable("pip could not resolve for comparison: " + out);
            return;
        }
        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        Map<String, String> pips = new TreeMap<>();
        report.path("install").forEach(i -> pips.put(ProjectName.normalize(i.path("metadata").path("name").asText()),
                i.path("metadata").path("version").asText()));
        System.out.printf("cp%s %s %s: %d packages resolved in %.1f s (cold cache)%n    pybundle %s%n    pip %s%n",
                python, platform, stack, mine.size(), seconds, mine, pips);
        assertEquals(pips, mine, "pybundle and pip resolve differently for " + target.describe());
    }

    private static void unavailable(String reason) {
        if (System.getenv("CI") != null) {
            Assertions.fail("CI must run the comparison with pip on the real index: " + reason);
        }
        Assumptions.abort("Skipped: " + reason);
    }
}

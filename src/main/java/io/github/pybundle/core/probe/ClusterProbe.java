package io.github.pybundle.core.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.target.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster probe: {@code probe.py}, which describes the interpreter that runs it (on an edge node, or on the
 * executors through spark-submit), and the reading of its JSON back into a target.
 */
public final class ClusterProbe {
    /** The file name of the probe script. */
    public static final String SCRIPT = "probe.py";

    private ClusterProbe() {
    }

    /** Writes the probe script. */
    public static Path write(Path target) throws IOException {
        try (InputStream in = ClusterProbe.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException("the probe script is missing from the plugin");
            }
            byte[] script = in.readAllBytes();
            AtomicFile.write(target, temp -> Files.write(temp, script));
        }
        return target;
    }

    /**
     * What a probe found.
     *
     * @param spec the target it describes
     * @param installed the distributions installed there (normalised name → version): the cluster provides them
     * @param nodeConfigurations how many distinct configurations the executors reported (1 when run directly)
     */
    public record Environment(Target.Spec spec, Map<String, String> installed, int nodeConfigurations) {
    }

    /**
     * Reads a probe's JSON ({@code <target><environmentFile>}).
     *
     * @throws InvalidConfigurationException when the file is missing or not a probe's output
     */
    public static Environment read(Path file) throws IOException {
        return read(file, "target.environmentFile");
    }

    /**
     * Reads a probe's JSON given as {@code setting} (a neutral setting path such as {@code target.profile}).
     *
     * @throws InvalidConfigurationException when the file is missing or not a probe's output
     */
    public static Environment read(Path file, String setting) throws IOException {
        String named = "{@" + setting + "} " + file;
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigurationException("target", file.toString(), named + " does not exist",
                    "create it with: python3 probe.py > " + file.getFileName()
                    + " ({!probe} writes target/pybundle/probe.py)");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidConfigurationException("target", file.toString(), named + " is not JSON: "
                    + e.getMessage(), "it must be the output of probe.py");
        }
        if (root == null || root.path("probe").asInt(0) != 1 || !root.hasNonNull("python_version")) {
            throw new InvalidConfigurationException("target", file.toString(), named
                    + " is not the output of pybundle's probe.py", "run probe.py on the cluster and save its output");
        }
        List<String> abis = new ArrayList<>();
        root.path("abis").forEach(a -> abis.add(a.asText()));
        List<String> platforms = new ArrayList<>();
        root.path("platforms").forEach(p -> platforms.add(p.asText()));
        Map<String, String> markers = new LinkedHashMap<>();
        root.path("markers").fields().forEachRemaining(e -> markers.put(e.getKey(), e.getValue().asText()));
        Map<String, String> installed = new TreeMap<>();
        root.path("distributions").fields().forEachRemaining(e -> installed.put(e.getKey(), e.getValue().asText()));
        Target.Spec spec = new Target.Spec(root.get("python_version").asText(),
                root.path("python_full_version").asText(null), root.path("implementation").asText(null), abis,
                platforms, markers);
        int nodes = root.has("nodes") ? root.get("nodes").size() : 1;
        return new Environment(spec, installed, nodes);
    }
}

package io.github.pybundle.core.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The reference implementation of the packaging specs (pypa/packaging 24.2), asked through
 * {@code src/test/python/packaging_oracle.py}.
 *
 * <p>The interpreter is {@code $PYBUNDLE_REFERENCE_PYTHON} (set by {@code .ci/run}), else a virtualenv this class
 * creates once under {@code target/reference-venv} with {@code python3} and pip. When neither can be had the tests
 * are skipped with the reason on a developer's machine, and fail in CI ({@code CI} set), so a green CI always means
 * the comparison ran.
 */
final class ReferenceOracle {
    static final String PACKAGING_VERSION = "24.2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path python;

    private ReferenceOracle() {
    }

    static synchronized Path python() {
        if (python == null) {
            try {
                python = locate();
            } catch (IOException | InterruptedException e) {
                unavailable("could not set up the reference implementation: " + e.getMessage());
            }
        }
        return python;
    }

    private static Path locate() throws IOException, InterruptedException {
        String configured = System.getenv("PYBUNDLE_REFERENCE_PYTHON");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!hasPackaging(p)) {
                unavailable("PYBUNDLE_REFERENCE_PYTHON=" + configured + " has no packaging==" + PACKAGING_VERSION);
            }
            return p;
        }
        Path venv = Path.of("target/reference-venv").toAbsolutePath();
        Path py = venv.resolve("bin/python");
        if (Files.isExecutable(py) && hasPackaging(py)) {
            return py;
        }
        if (run(List.of("python3", "-m", "venv", "--clear", venv.toString())) != 0) {
            unavailable("python3 -m venv failed: is Python 3 with venv installed?");
        }
        if (run(List.of(py.toString(), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                "packaging==" + PACKAGING_VERSION)) != 0) {
            unavailable("pip install packaging==" + PACKAGING_VERSION + " failed (is the package index reachable?)");
        }
        return py;
    }

    private static boolean hasPackaging(Path py) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(py.toString(), "-c",
                    "import packaging,sys; sys.exit(packaging.__version__ != '" + PACKAGING_VERSION + "')")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static int run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            System.err.println(String.join(" ", cmd) + " failed:\n" + out);
        }
        return rc;
    }

    private static void unavailable(String reason) {
        if (System.getenv("CI") != null) {
            Assertions.fail("The differential tests need the reference implementation and CI must run them: " + reason);
        }
        Assumptions.abort("Skipped: differential tests need the reference implementation: " + reason);
    }

    /** Asks every question in one run of the oracle; answers come back in the same order. */
    static List<JsonNode> ask(List<ObjectNode> questions) throws IOException, InterruptedException {
        Path in = Files.createTempFile("oracle-in", ".jsonl");
        Path out = Files.createTempFile("oracle-out", ".jsonl");
        try {
            List<String> lines = new ArrayList<>();
            for (ObjectNode q : questions) {
                lines.add(JSON.writeValueAsString(q));
            }
            Files.write(in, lines, StandardCharsets.UTF_8);
            Path script = Path.of("src/test/python/packaging_oracle.py").toAbsolutePath();
            Process p = new ProcessBuilder(python().toString(), script.toString(), in.toString(), out.toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                Assertions.fail("the reference oracle failed:\n" + log);
            }
            List<JsonNode> answers = new ArrayList<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                answers.add(JSON.readTree(line));
            }
            Assertions.assertEquals(questions.size(), answers.size(), "one answer per question");
            return answers;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    static ObjectNode question(String kind) {
        return JSON.createObjectNode().put("kind", kind);
    }
}

package io.github.pybundle.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.testing.FetchOnce;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs (as two Maven processes on one CI runner) fetch the same wheel into one cache at the same time. */
class CrossProcessCacheTest {
    @TempDir
    Path dir;

    @Test
    void twoProcesses_downloadTheSameFileOnceAndBothGetIt() throws Exception {
        try (TestIndexServer server = new TestIndexServer()) {
            TestIndexServer.File f = server.add(TestWheels.pure("shared", "1.0"));
            server.delayBodies(1_500); // keep the first download in flight while the second process arrives
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        FetchOnce.class.getName(), server.indexUrl(), dir.resolve("cache").toString(), "shared")
                        .redirectErrorStream(true).start());
            }
            List<String> outputs = new ArrayList<>();
            for (Process p : processes) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                assertEquals(0, p.waitFor(), out);
                outputs.add(out);
            }
            assertEquals(outputs.get(0), outputs.get(1));
            assertEquals(TestWheels.sha256Hex(f.content), Digests.sha256Hex(Path.of(outputs.get(0))));
            assertEquals(1, server.count("/files/shared-1.0-py3-none-any.whl"), "one download for both processes");
        }
    }
}

package io.github.pybundle.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JvmUsageTest {
    private static final Pattern LINE = Pattern.compile("CPU ([0-9]+\\.[0-9]{2}) s, JIT compiler busy"
            + " ([0-9]+\\.[0-9]{2}) s, garbage collection ([0-9]+\\.[0-9]{2}) s");

    @Test
    void reportsTheCpuTheJvmSpentSinceTheStartAsTheTimingsLineShowsIt() throws Exception {
        JvmUsage start = JvmUsage.now();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[1 << 20];
        long until = System.nanoTime() + 300_000_000L; // a third of a second of work on this thread
        while (System.nanoTime() < until) {
            sha.update(block);
        }
        String line = JvmUsage.now().since(start);
        Matcher m = LINE.matcher(line);
        assertTrue(m.matches(), line); // HotSpot offers all three figures
        assertTrue(Double.parseDouble(m.group(1)) >= 0.1, "the work done shows as CPU: " + line);
        assertTrue(Double.parseDouble(m.group(2)) >= 0 && Double.parseDouble(m.group(3)) >= 0, line);
    }

    @Test
    void nothingSpentBetweenTheSameCountersIsZero() {
        JvmUsage now = JvmUsage.now();
        assertEquals("CPU 0.00 s, JIT compiler busy 0.00 s, garbage collection 0.00 s", now.since(now));
    }
}

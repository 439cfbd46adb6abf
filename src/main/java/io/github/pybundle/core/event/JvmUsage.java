package io.github.pybundle.core.event;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the whole JVM spent while a goal ran: CPU time of all its threads (the build's, the JIT compiler's, the
 * garbage collector's), the time its JIT compiler threads spent compiling, and the time spent in garbage collections.
 * On a machine with few cores this says how much of a build's CPU went to warming the JVM up rather than to the
 * build's own work. Each figure is left out where this JVM does not offer it.
 */
public final class JvmUsage {
    private final long cpuNanos;
    private final long compileMillis;
    private final long gcMillis;

    private JvmUsage(long cpuNanos, long compileMillis, long gcMillis) {
        this.cpuNanos = cpuNanos;
        this.compileMillis = compileMillis;
        this.gcMillis = gcMillis;
    }

    /** The JVM's counters now. */
    public static JvmUsage now() {
        long cpu = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            cpu = os.getProcessCpuTime();
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long compile = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
        long gc = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, b.getCollectionTime());
        }
        return new JvmUsage(cpu, compile, gc);
    }

    /**
     * What was spent since {@code start}, e.g. {@code CPU 6.21 s, JIT compiler busy 2.40 s, garbage collection
     * 0.05 s}; a figure this JVM does not offer is left out.
     */
    public String since(JvmUsage start) {
        List<String> parts = new ArrayList<>();
        if (cpuNanos >= 0 && start.cpuNanos >= 0) {
            parts.add(String.format(Locale.ROOT, "CPU %.2f s", (cpuNanos - start.cpuNanos) / 1e9));
        }
        if (compileMillis >= 0 && start.compileMillis >= 0) {
            parts.add(String.format(Locale.ROOT, "JIT compiler busy %.2f s",
                    (compileMillis - start.compileMillis) / 1e3));
        }
        parts.add(String.format(Locale.ROOT, "garbage collection %.2f s", (gcMillis - start.gcMillis) / 1e3));
        return String.join(", ", parts);
    }
}

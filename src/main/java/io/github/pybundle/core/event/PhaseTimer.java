package io.github.pybundle.core.event;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Wall time of a goal and of its phases (resolve, download, assemble), for the one-line timing a goal reports and the
 * benchmark reads. Phases timed more than once add up.
 */
public final class PhaseTimer {
    private final long start = System.nanoTime();
    private final Map<String, Long> phases = new LinkedHashMap<>();

    /** Runs {@code work} as (part of) {@code phase}. */
    public <T> T time(String phase, Callable<T> work) throws Exception {
        long t0 = System.nanoTime();
        try {
            return work.call();
        } finally {
            phases.merge(phase, System.nanoTime() - t0, Long::sum);
        }
    }

    /** Whether any phase was timed. */
    public boolean hasPhases() {
        return !phases.isEmpty();
    }

    /** E.g. {@code 0.84 s (resolve 0.12 s, download 0.40 s, assemble 0.32 s)}. */
    public String summary() {
        StringBuilder sb = new StringBuilder(seconds(System.nanoTime() - start));
        if (!phases.isEmpty()) {
            sb.append(" (");
            phases.forEach((name, nanos) -> sb.append(name).append(' ').append(seconds(nanos)).append(", "));
            sb.setLength(sb.length() - 2);
            sb.append(')');
        }
        return sb.toString();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }
}

package io.github.pybundle.core.event;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Wall time of a goal and of its phases (resolve, download, assemble), for the one-line timing a goal reports and the
 * benchmark reads. Phases timed more than once add up.
 *
 * <p>Within the phases, work reported through a listener made by {@link #listening} ({@link BuildListener#timed}) is
 * summed by kind, over all threads, with how often it happened: {@link #work()} says where the time of a phase went
 * (index requests, page parsing, waiting for pages, wheel checks...). Work on several threads at once can add up to
 * more than the phase's wall time.
 */
public final class PhaseTimer {
    private final long start = System.nanoTime();
    private final Map<String, Long> phases = new LinkedHashMap<>();
    private final Map<String, long[]> work = new LinkedHashMap<>(); // kind -> {nanos, count}; guarded by itself

    /** Runs {@code work} as (part of) {@code phase}. */
    public <T> T time(String phase, Callable<T> work) throws Exception {
        long t0 = System.nanoTime();
        try {
            return work.call();
        } finally {
            phases.merge(phase, System.nanoTime() - t0, Long::sum);
        }
    }

    /** A listener that passes messages to {@code listener} and sums the work reported to it here. */
    public BuildListener listening(BuildListener listener) {
        PhaseTimer timer = this;
        return new BuildListener() {
            @Override
            public void log(Level level, String message) {
                listener.log(level, message);
            }

            @Override
            public void timed(String kind, long nanos) {
                timer.add(kind, nanos);
                listener.timed(kind, nanos);
            }
        };
    }

    /** Adds {@code nanos} of work of {@code kind}. */
    public void add(String kind, long nanos) {
        synchronized (work) {
            long[] w = work.computeIfAbsent(kind, k -> new long[2]);
            w[0] += nanos;
            w[1]++;
        }
    }

    /**
     * The work reported, by kind in the order first seen, e.g. {@code index requests 1.204 s (23), resolver waiting for pages
     * 0.310 s (11)}; empty when none was.
     */
    public String work() {
        StringBuilder sb = new StringBuilder();
        synchronized (work) {
            work.forEach((kind, w) -> sb.append(sb.length() == 0 ? "" : ", ").append(kind).append(' ')
                    .append(seconds(w[0])).append(" (").append(w[1]).append(')'));
        }
        return sb.toString();
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

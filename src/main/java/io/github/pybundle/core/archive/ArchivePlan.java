package io.github.pybundle.core.archive;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files of one archive as data, planned before anything is written, like jib's {@code ReproducibleLayerBuilder}:
 * written sorted by path with the parent directories of every file filled in, an identical file offered twice kept
 * once, and conflicts handed to the builder's {@link Conflicts} policy.
 *
 * <p>Two contents are identical when both have the same {@link ArchiveContent.Identity} (a wheel's RECORD hash and
 * size): namespace packages split over several wheels ship such files (every {@code nvidia-*} wheel has the same
 * empty {@code nvidia/__init__.py}), and installing both is installing one.
 */
public final class ArchivePlan {
    /** What a builder does about two files that would be one once unpacked. */
    public interface Conflicts {
        /**
         * Two different files at one path; returns the exception to throw.
         *
         * @param origin where the file being added comes from (a wheel's file name, "the project"...)
         * @param earlierOrigin where the file already planned there comes from
         */
        RuntimeException differentFiles(String path, String origin, String earlierOrigin);

        /**
         * A path that differs from an earlier one only in case or Unicode normalisation: one file where names are
         * compared that way (macOS, Windows). Throws to refuse it; returning plans it.
         */
        void caseOnly(String path, String origin, String earlier, String earlierOrigin);
    }

    private record Entry(ArchiveContent content, int mode, String origin) {
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final ArchivePaths folded = new ArchivePaths();
    private final Conflicts conflicts;

    public ArchivePlan(Conflicts conflicts) {
        this.conflicts = conflicts;
    }

    /**
     * Plans a file; an identical one already at {@code path} is kept instead.
     *
     * @param origin where it comes from, for messages
     */
    public void add(String path, ArchiveContent content, int mode, String origin) {
        Entry previous = entries.get(path);
        if (previous != null) {
            ArchiveContent.Identity a = previous.content().identity();
            if (a != null && a.equals(content.identity())) {
                return;
            }
            throw conflicts.differentFiles(path, origin, previous.origin());
        }
        String other = folded.collision(path);
        if (other != null) {
            conflicts.caseOnly(path, origin, other, entries.get(other).origin());
        }
        entries.put(path, new Entry(content, mode, origin));
    }

    /** Whether a file is planned at {@code path}. */
    public boolean contains(String path) {
        return entries.containsKey(path);
    }

    /** The first planned path under {@code prefix} (e.g. {@code python/}), in sorted order, or null. */
    public String firstUnder(String prefix) {
        return entries.keySet().stream().filter(p -> p.startsWith(prefix)).sorted().findFirst().orElse(null);
    }

    /**
     * Writes the plan: every file and every directory above one, sorted by path (directories end with '/'), each
     * content read as it is written.
     */
    public void write(ArchiveWriter out) throws IOException {
        TreeMap<String, Entry> sorted = new TreeMap<>(entries); // a null entry marks a directory
        for (String name : entries.keySet()) {
            for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
                sorted.putIfAbsent(name.substring(0, i + 1), null);
            }
        }
        for (Map.Entry<String, Entry> e : sorted.entrySet()) {
            Entry file = e.getValue();
            if (file == null) {
                out.addDirectory(e.getKey());
            } else {
                file.content().write(out, e.getKey(), file.mode());
            }
        }
    }
}

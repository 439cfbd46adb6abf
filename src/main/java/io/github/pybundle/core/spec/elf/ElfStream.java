package io.github.pybundle.core.spec.elf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads an {@link ElfFile} from a file that can only be streamed from its start (a deflated zip entry), keeping only
 * the ranges {@link ElfReader} asks for: memory stays bounded whatever the file's size (the prefix, the window below
 * and at most 64 MiB of tables the file names).
 *
 * <p>The first pass keeps the file's first {@code prefix} bytes, where the ELF header, the program headers and, as
 * linkers lay files out, the dynamic string table and the version needs are; it also keeps every range found to be
 * needed further on while the pass goes. A range found only after the stream went past it (a dynamic segment near the
 * end naming a string table near the start, beyond the prefix) takes another pass, which reads only up to the last
 * byte still needed. Each pass gets at least one range, the ranges are found in a few steps, and passes are capped.
 *
 * <p>Because some linkers put the dynamic string table just before the dynamic segment, at the end of a large file
 * (NVIDIA's libcusparseLt.so.0: a 9 MB table ending where the dynamic segment begins, 226 MB into the file), the first
 * pass also keeps up to {@link #WINDOW} bytes just before the first range it is asked for beyond the bytes in hand,
 * when the heap has room for it. Only a guess: when the tables are not there, the next pass reads them as before; when
 * they are, a pass that inflates the file again up to them is saved.
 *
 * <p>Use: {@link #accept} every byte in order, then {@link #endPass()}; while it returns null, stream the file again
 * from its start, calling {@link #accept} until {@link #wantsMore()} is false, and {@link #endPass()} again.
 */
public final class ElfStream {
    /** The prefix the first pass keeps by default: 4 MiB. */
    public static final int DEFAULT_PREFIX = 4 << 20;
    private static final int MAX_PASSES = 8;
    // What the reader may ask to keep beyond the prefix: its largest string table, tables and name windows fit.
    private static final long MAX_KEPT = 64L << 20;
    /** The most the first pass keeps, on a guess, just before the first range asked for ahead of it. */
    static final int WINDOW = 16 << 20;

    private final long size;
    private final TreeMap<Long, List<Kept>> kept = new TreeMap<>();
    private final Buffers buffers;
    private final List<Pending> pending = new ArrayList<>();
    private final List<ElfReader.Range> late = new ArrayList<>();
    private long position;
    private int pass = 1;
    private long asked; // bytes asked for beyond the prefix, in all passes
    private boolean guessed; // the window before the first range asked for ahead is pending or kept

    // A range being filled during a pass, into the start of `bytes`.
    private static final class Pending {
        final ElfReader.Range range;
        final byte[] bytes;
        int filled;

        Pending(ElfReader.Range range) {
            this(range, new byte[range.length()]);
        }

        Pending(ElfReader.Range range, byte[] bytes) {
            this.range = range;
            this.bytes = bytes;
        }
    }

    // The bytes of a range, in the first `length` bytes of `bytes`.
    private record Kept(byte[] bytes, int length) {
    }

    /**
     * The prefix's and the window's arrays, for one thread to reuse from one file to the next (they are the largest,
     * and a wheel of large libraries would otherwise allocate them for each): a stream that uses them must be done
     * with (its {@link #endPass()} returned a file or threw) before the next one starts.
     */
    public static final class Buffers {
        /**
         * The share of the heap the windows of all checking threads (one per processor) may take together: a sixth.
         * With -Xmx256m on 2 processors, 2 windows of 16 MiB fit (32 of 42 MiB), whatever the collector.
         */
        static final int HEAP_SHARE = 6;

        private byte[] prefix;
        private byte[] window;

        private static byte[] atLeast(byte[] b, int n) {
            return b != null && b.length >= n ? b : new byte[n];
        }

        /**
         * An array of at least {@code n} bytes for the window, or null when one such window for each processor would
         * take more than 1/{@link #HEAP_SHARE} of the heap's maximum: on a machine with many checking threads and a
         * small heap, the window gives way (a file then takes its second pass, as without one). Decided by the JVM's
         * settings alone, so that a build reads the same way every time.
         */
        byte[] window(int n) {
            if (window == null || window.length < n) {
                Runtime rt = Runtime.getRuntime();
                if ((long) rt.availableProcessors() * n > rt.maxMemory() / HEAP_SHARE) {
                    return null;
                }
                window = new byte[n];
            }
            return window;
        }
    }

    /**
     * A reader of a file of {@code size} bytes that keeps its first {@code prefix} bytes on the first pass.
     *
     * @throws InvalidElfException when the file is too short to be an ELF file
     */
    public ElfStream(long size, int prefix) {
        this(size, prefix, new Buffers());
    }

    /** The same, with the prefix and the window kept in {@code buffers}, which it may enlarge. */
    public ElfStream(long size, int prefix, Buffers buffers) {
        this.size = size;
        this.buffers = buffers;
        if (size < 16) {
            throw new InvalidElfException("is " + size + " bytes long, too short for an ELF header");
        }
        int n = (int) Math.min(size, Math.max(prefix, 64));
        buffers.prefix = Buffers.atLeast(buffers.prefix, n);
        pending.add(new Pending(new ElfReader.Range(0, n), buffers.prefix));
    }

    /** The next {@code n} bytes of the file, from {@code b[off]}. */
    public void accept(byte[] b, int off, int n) {
        long start = position;
        position += n;
        if (pending.isEmpty()) {
            return;
        }
        boolean completed;
        do {
            completed = false;
            for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                long from = Math.max(p.range.offset() + p.filled, start);
                long to = Math.min(p.range.end(), position);
                if (from < to && from == p.range.offset() + p.filled) {
                    System.arraycopy(b, off + (int) (from - start), p.bytes, p.filled, (int) (to - from));
                    p.filled += (int) (to - from);
                }
                if (p.filled == p.range.length()) {
                    it.remove();
                    keep(p.range.offset(), p.bytes, p.range.length());
                    completed = true;
                }
            }
            // What a completed range tells may be needed from the bytes still in hand, or further on.
            if (completed) {
                ask(start);
            }
        } while (completed && !pending.isEmpty());
    }

    /** Whether a byte at or after the current position is still wanted in this pass. */
    public boolean wantsMore() {
        return pending.stream().anyMatch(p -> p.range.end() > position);
    }

    /**
     * Ends a pass: the file when everything it needs was kept, or null when another pass from the file's start is
     * needed (then {@link #accept} it again).
     *
     * @throws InvalidElfException when the file is malformed, or needs more passes than allowed
     */
    public ElfFile endPass() {
        for (Pending p : pending) { // the stream ended before them: ask again next pass
            late.add(p.range);
        }
        pending.clear();
        ElfReader.Outcome o = ElfReader.attempt(size, this::get);
        if (o instanceof ElfReader.Read r) {
            return r.file();
        }
        if (++pass > MAX_PASSES) {
            throw new InvalidElfException("points back to earlier parts of the file more than " + MAX_PASSES
                    + " times");
        }
        late.clear();
        for (ElfReader.Range r : ((ElfReader.Needs) o).ranges()) {
            pending.add(pending(r));
        }
        position = 0;
        return null;
    }

    // Asks the reader what it needs now; ranges from `start` on can still be filled in this pass.
    private void ask(long start) {
        ElfReader.Outcome o = ElfReader.attempt(size, this::get);
        if (o instanceof ElfReader.Needs needs) {
            for (ElfReader.Range r : needs.ranges()) {
                if (pending.stream().anyMatch(p -> p.range.equals(r)) || late.contains(r)) {
                    continue;
                }
                if (r.offset() >= start) {
                    guessBefore(r, start);
                    pending.add(pending(r));
                } else {
                    late.add(r);
                }
            }
        }
    }

    // On the first pass, once: the bytes just before a range that begins beyond the bytes in hand, from `start` on.
    private void guessBefore(ElfReader.Range r, long start) {
        if (pass != 1 || guessed || r.offset() <= position) {
            return;
        }
        guessed = true;
        long from = Math.max(start, r.offset() - WINDOW);
        if (from < r.offset()) {
            int n = (int) (r.offset() - from);
            byte[] w = buffers.window(n);
            if (w != null) {
                pending.add(new Pending(new ElfReader.Range(from, n), w));
            }
        }
    }

    // A range to fill, within the budget: a file cannot make the reader hold more than MAX_KEPT bytes.
    private Pending pending(ElfReader.Range r) {
        asked += r.length();
        if (asked > MAX_KEPT) {
            throw new InvalidElfException("points to more than " + (MAX_KEPT >> 20) + " MiB of tables and names");
        }
        return new Pending(r);
    }

    private void keep(long offset, byte[] bytes, int length) {
        kept.computeIfAbsent(offset, k -> new ArrayList<>()).add(new Kept(bytes, length));
    }

    // The kept bytes [offset, offset + length), from any one kept range that holds them all.
    private ByteBuffer get(long offset, int length) {
        for (Map.Entry<Long, List<Kept>> e : kept.headMap(offset, true).descendingMap().entrySet()) {
            for (Kept k : e.getValue()) {
                if (offset + length <= e.getKey() + k.length()) {
                    return ByteBuffer.wrap(k.bytes(), (int) (offset - e.getKey()), length).slice();
                }
            }
        }
        return null;
    }
}

package io.github.pybundle.core.wheel;

import io.github.pybundle.core.spec.elf.ElfFile;
import io.github.pybundle.core.spec.elf.ElfReader;
import io.github.pybundle.core.spec.elf.ElfStream;
import io.github.pybundle.core.spec.elf.InvalidElfException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Recognises an ELF file among a wheel's entries by its first bytes as the entry is inflated for its other checks,
 * and reads it with an {@link ElfStream} from the same bytes: its first megabytes and what they point to. A file whose
 * tables point back beyond what was kept is inflated again from the wheel, as far as needed. One per
 * {@link EntryChecker}, reused across entries.
 */
final class ElfCapture {
    /** Reopens the entry's content from its start. */
    interface Reopen {
        InputStream open() throws IOException;
    }

    private final byte[] magic = new byte[4];
    private final ElfStream.Buffers buffers = new ElfStream.Buffers(); // reused: one entry at a time
    private final int prefix;
    private int seen;
    private long size;
    private boolean elf;
    private ElfStream stream;
    private String problem;

    ElfCapture(int prefix) {
        this.prefix = prefix;
    }

    /** Starts an entry of {@code size} bytes. */
    void begin(long size) {
        this.size = size;
        seen = 0;
        elf = false;
        stream = null;
        problem = null;
    }

    /** The entry's next content bytes. */
    void accept(byte[] b, int off, int n) {
        if (seen < 4) {
            int k = Math.min(4 - seen, n);
            System.arraycopy(b, off, magic, seen, k);
            seen += k;
            if (seen < 4) {
                return;
            }
            if (!ElfReader.isElf(magic, 0, 4)) {
                return;
            }
            elf = true;
            try {
                stream = new ElfStream(size, prefix, buffers);
                stream.accept(magic, 0, 4);
            } catch (InvalidElfException e) {
                fail(e);
                return;
            }
            off += k;
            n -= k;
        }
        if (stream != null) {
            try {
                stream.accept(b, off, n);
            } catch (InvalidElfException e) {
                fail(e);
            }
        }
    }

    /**
     * After the entry was streamed once: null when it is not an ELF file, else what it needs (or why it cannot be
     * read), streaming it again through {@code reopen} when the first pass did not keep everything.
     */
    NativeFiles.File finish(String path, Reopen reopen) throws IOException {
        if (!elf) {
            return null;
        }
        try {
            byte[] buffer = null;
            while (problem == null) {
                ElfFile f = stream.endPass();
                if (f != null) {
                    return new NativeFiles.File(path, f, null);
                }
                buffer = buffer != null ? buffer : new byte[64 * 1024];
                try (InputStream in = reopen.open()) {
                    for (int n; stream.wantsMore() && (n = in.read(buffer)) >= 0; ) {
                        stream.accept(buffer, 0, n);
                    }
                }
            }
        } catch (InvalidElfException e) {
            fail(e);
        }
        return new NativeFiles.File(path, null, problem);
    }

    private void fail(InvalidElfException e) {
        problem = e.getMessage();
        stream = null;
    }
}

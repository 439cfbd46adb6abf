package io.github.pybundle.core.spec.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an {@link ElfFile} from only the byte ranges it needs: the ELF header, the program headers, the dynamic
 * segment, the names it uses from the dynamic string table and the version needs ({@code DT_VERNEED}). Section
 * headers are not read: the loader does not use them either, and a stripped file has none.
 *
 * <p>A reading is an {@link #attempt} over the bytes at hand: it returns the file, or the ranges it still {@link Needs}
 * (each found from the ones before, so one attempt may name only some of them). {@link #read(byte[])} reads a whole
 * file held in memory; {@link ElfStream} reads a file streamed once or a few times, keeping only those ranges.
 *
 * <p>Every offset and size is checked against the file's size and against limits (a 1 MiB program header table and
 * dynamic segment, names of 4 KiB, 1024 libraries, 4096 needed versions); every loop is bounded by a count the file
 * declares, so following offsets cannot loop. A malformed file is an {@link InvalidElfException} that names the
 * structure at fault; no other exception escapes.
 */
public final class ElfReader {
    /** The most bytes of a program header table or a dynamic segment read. */
    public static final int MAX_TABLE = 1 << 20;
    /** A dynamic string table up to this size is asked for whole; a larger one name by name. */
    public static final int WHOLE_STRING_TABLE = 16 << 20;
    /** The longest name read (a library, a version, a run path). */
    public static final int MAX_NAME = 4096;
    /** How much is asked for at once where a chain of version need entries goes on. */
    static final int VERNEED_WINDOW = 64 << 10;
    private static final int MAX_NAMES = 1024;
    private static final int MAX_VERNEED_FILES = 1024;
    private static final int MAX_VERSIONS = 4096;
    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;
    private static final long DT_STRSZ = 10;
    private static final long DT_SONAME = 14;
    private static final long DT_RPATH = 15;
    private static final long DT_RUNPATH = 29;
    private static final long DT_VERNEED = 0x6ffffffeL;
    private static final long DT_VERNEEDNUM = 0x6fffffffL;

    private ElfReader() {
    }

    /**
     * A range of the file: {@code length} bytes from {@code offset}.
     *
     * @param offset where it starts
     * @param length how many bytes
     */
    public record Range(long offset, int length) {
        /** The offset just after it. */
        public long end() {
            return offset + length;
        }
    }

    /** The bytes of the file at hand. */
    public interface Bytes {
        /**
         * The bytes {@code [offset, offset + length)} as a buffer whose index 0 is {@code offset}, or null when they
         * are not at hand. Only called with ranges inside the file.
         */
        ByteBuffer get(long offset, int length);
    }

    /** What an attempt came to. */
    public sealed interface Outcome permits Read, Needs {
    }

    /**
     * The file was read.
     *
     * @param file what it says
     */
    public record Read(ElfFile file) implements Outcome {
    }

    /**
     * More of the file is needed.
     *
     * @param ranges the ranges to get before the next attempt
     */
    public record Needs(List<Range> ranges) implements Outcome {
    }

    /** Whether {@code b} starts with the ELF magic number {@code \x7fELF} (at least 4 bytes from {@code off}). */
    public static boolean isElf(byte[] b, int off, int length) {
        return length >= 4 && b[off] == 0x7f && b[off + 1] == 'E' && b[off + 2] == 'L' && b[off + 3] == 'F';
    }

    /**
     * Reads a whole file held in memory.
     *
     * @throws InvalidElfException when it is not a well-formed ELF file
     */
    public static ElfFile read(byte[] file) {
        Outcome o = attempt(file.length, (offset, length) -> ByteBuffer.wrap(file, (int) offset, length).slice());
        if (o instanceof Read r) {
            return r.file();
        }
        throw new IllegalStateException("a whole file cannot lack bytes: " + o);
    }

    /**
     * The class, byte order, type and machine of a file from its first bytes (at least its 64-byte header, or 52 for
     * a 32-bit file); nothing it needs is read.
     *
     * @throws InvalidElfException when they are no ELF header
     */
    public static ElfFile identify(byte[] head) {
        Outcome o = new Attempt(head.length, (offset, length) -> ByteBuffer.wrap(head, (int) offset, length).slice(),
                true).run();
        return ((Read) o).file();
    }

    /**
     * Reads the file as far as the bytes at hand allow.
     *
     * @param size the file's size in bytes
     * @param bytes the bytes at hand
     * @throws InvalidElfException when what is at hand shows that the file is malformed
     */
    public static Outcome attempt(long size, Bytes bytes) {
        return new Attempt(size, bytes, false).run();
    }

    // Thrown when a range is not at hand; the attempt then reports every range it found missing.
    private static final class Missing extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private static final Missing INSTANCE = new Missing();

        private Missing() {
            super(null, null, false, false);
        }
    }

    private static final class Attempt {
        private final long size;
        private final Bytes bytes;
        private final boolean headerOnly;
        private final Set<Range> missing = new LinkedHashSet<>();
        private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        private boolean is64;
        private long strOff;
        private long strSize = -1;

        Attempt(long size, Bytes bytes, boolean headerOnly) {
            this.size = size;
            this.bytes = bytes;
            this.headerOnly = headerOnly;
        }

        Outcome run() {
            try {
                return new Read(parse());
            } catch (Missing m) {
                return new Needs(List.copyOf(missing));
            }
        }

        private ElfFile parse() {
            if (size < 16) {
                throw invalid("is " + size + " bytes long, too short for an ELF header");
            }
            ByteBuffer id = get(0, 16, "its ELF identification");
            if (id.get(0) != 0x7f || id.get(1) != 'E' || id.get(2) != 'L' || id.get(3) != 'F') {
                throw invalid("does not start with the ELF magic number");
            }
            int cls = id.get(4);
            if (cls != 1 && cls != 2) {
                throw invalid("has an unknown ELF class " + cls + " (1 is 32-bit, 2 is 64-bit)");
            }
            int data = id.get(5);
            if (data != 1 && data != 2) {
                throw invalid("has an unknown ELF byte order " + data + " (1 is little-endian, 2 is big-endian)");
            }
            if (id.get(6) != 1) {
                throw invalid("has ELF version " + id.get(6) + " in its identification, not 1");
            }
            is64 = cls == 2;
            order = data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            int bits = is64 ? 64 : 32;
            int headerSize = is64 ? 64 : 52;
            if (size < headerSize) {
                throw invalid("is " + size + " bytes long, shorter than the " + headerSize + "-byte header of a "
                        + bits + "-bit ELF file");
            }
            ByteBuffer h = get(0, headerSize, "its ELF header");
            int type = u16(h, 16);
            int machine = u16(h, 18);
            long phoff = is64 ? h.getLong(32) : u32(h, 28);
            int phentsize = u16(h, is64 ? 54 : 42);
            int phnum = u16(h, is64 ? 56 : 44);
            List<String> none = List.of();
            if (phnum == 0 || headerOnly) { // a relocatable object: nothing for the loader
                return new ElfFile(bits, data == 1, type, machine, null, none, none, none, List.of());
            }
            if (phnum == 0xffff) {
                throw invalid("declares 65535 or more program headers (PN_XNUM), which pybundle does not read");
            }
            int entry = is64 ? 56 : 32;
            if (phentsize < entry) {
                throw invalid("declares program headers of " + phentsize + " bytes, smaller than the " + entry
                        + " bytes of a " + bits + "-bit program header");
            }
            long tableSize = (long) phentsize * phnum;
            if (tableSize > MAX_TABLE) {
                throw invalid("declares a program header table of " + tableSize + " bytes, more than the "
                        + MAX_TABLE + " pybundle reads");
            }
            ByteBuffer ph = get(phoff, (int) tableSize, "its program header table");
            List<long[]> loads = new ArrayList<>(); // vaddr, offset, filesz
            long dynOff = -1;
            long dynSize = 0;
            for (int i = 0; i < phnum; i++) {
                int p = i * phentsize;
                long ptype = u32(ph, p);
                long off = is64 ? ph.getLong(p + 8) : u32(ph, p + 4);
                long vaddr = is64 ? ph.getLong(p + 16) : u32(ph, p + 8);
                long filesz = is64 ? ph.getLong(p + 32) : u32(ph, p + 16);
                if (ptype == PT_LOAD) {
                    loads.add(new long[] {vaddr, off, filesz});
                } else if (ptype == PT_DYNAMIC && dynOff < 0) {
                    dynOff = off;
                    dynSize = filesz;
                }
            }
            if (dynOff < 0) { // statically linked: needs nothing from the system's loader
                return new ElfFile(bits, data == 1, type, machine, null, none, none, none, List.of());
            }
            if (dynSize < 0 || dynSize > MAX_TABLE) {
                throw invalid("declares a dynamic segment of " + Long.toUnsignedString(dynSize) + " bytes, more than"
                        + " the " + MAX_TABLE + " pybundle reads");
            }
            ByteBuffer dyn = get(dynOff, (int) dynSize, "its dynamic segment");
            return dynamic(dyn, (int) dynSize, loads, bits, data == 1, type, machine);
        }

        private ElfFile dynamic(ByteBuffer dyn, int dynSize, List<long[]> loads, int bits, boolean little, int type,
                                int machine) {
            int entry = is64 ? 16 : 8;
            long strtab = -1;
            long verneed = -1;
            long verneedNum = -1;
            List<long[]> names = new ArrayList<>(); // tag, string offset
            for (int p = 0; p + entry <= dynSize; p += entry) {
                long tag = is64 ? dyn.getLong(p) : dyn.getInt(p);
                long val = is64 ? dyn.getLong(p + 8) : u32(dyn, p + 4);
                if (tag == 0) {
                    break;
                }
                if (tag == DT_NEEDED || tag == DT_RPATH || tag == DT_RUNPATH || tag == DT_SONAME) {
                    if (names.size() == MAX_NAMES) {
                        throw invalid("has more than " + MAX_NAMES + " DT_NEEDED, DT_RPATH and DT_RUNPATH entries");
                    }
                    names.add(new long[] {tag, val});
                } else if (tag == DT_STRTAB) {
                    strtab = val;
                } else if (tag == DT_STRSZ) {
                    strSize = val;
                } else if (tag == DT_VERNEED) {
                    verneed = val;
                } else if (tag == DT_VERNEEDNUM) {
                    verneedNum = val;
                }
            }
            if (names.isEmpty() && verneed == -1) {
                return new ElfFile(bits, little, type, machine, null, List.of(), List.of(), List.of(), List.of());
            }
            if (strtab == -1) {
                throw invalid("has DT_NEEDED or DT_VERNEED entries but no dynamic string table (DT_STRTAB)");
            }
            if (strSize == -1) {
                throw invalid("has a dynamic string table without a size (DT_STRSZ)");
            }
            strOff = offsetOf(strtab, loads, "its dynamic string table (DT_STRTAB)");
            if (strSize < 0 || strOff > size - strSize) {
                throw invalid("declares a dynamic string table of " + Long.toUnsignedString(strSize) + " bytes at"
                        + " offset " + strOff + ", beyond the end of the file (" + size + " bytes)");
            }
            String soname = null;
            List<String> needed = new ArrayList<>();
            List<String> rpath = new ArrayList<>();
            List<String> runpath = new ArrayList<>();
            for (long[] n : names) {
                String what = n[0] == DT_NEEDED ? "a DT_NEEDED entry" : n[0] == DT_SONAME ? "its DT_SONAME"
                        : n[0] == DT_RPATH ? "its DT_RPATH" : "its DT_RUNPATH";
                String s = name(n[1], what);
                if (n[0] == DT_NEEDED) {
                    needed.add(s);
                } else if (n[0] == DT_SONAME) {
                    soname = s;
                } else if (s != null) {
                    for (String dir : s.split(":")) {
                        if (!dir.isEmpty()) {
                            (n[0] == DT_RPATH ? rpath : runpath).add(dir);
                        }
                    }
                }
            }
            List<ElfFile.VersionNeed> needs = verneed == -1 ? List.of() : versionNeeds(verneed, verneedNum, loads);
            if (!missing.isEmpty()) {
                throw Missing.INSTANCE;
            }
            return new ElfFile(bits, little, type, machine, soname, needed, rpath, runpath, needs);
        }

        // Elf_Verneed {vn_version, vn_cnt: 16 bits; vn_file, vn_aux, vn_next: 32 bits}, each with vn_cnt
        // Elf_Vernaux {vna_hash: 32; vna_flags, vna_other: 16; vna_name, vna_next: 32}; 16 bytes each, in both classes.
        private List<ElfFile.VersionNeed> versionNeeds(long verneed, long count, List<long[]> loads) {
            if (count == -1) {
                throw invalid("has version needs (DT_VERNEED) without their count (DT_VERNEEDNUM)");
            }
            if (count < 0 || count > MAX_VERNEED_FILES) {
                throw invalid("declares " + Long.toUnsignedString(count) + " files it needs versions of, more than"
                        + " the " + MAX_VERNEED_FILES + " pybundle reads");
            }
            long at = offsetOf(verneed, loads, "its version needs (DT_VERNEED)");
            List<ElfFile.VersionNeed> needs = new ArrayList<>();
            int versions = 0;
            for (int i = 0; i < count; i++) {
                ByteBuffer vn = record(at, i == 0, "version need entry " + i);
                if (vn == null) {
                    break; // the rest of the chain is found from this entry
                }
                int cnt = u16(vn, 2);
                versions += cnt;
                if (versions > MAX_VERSIONS) {
                    throw invalid("needs more than " + MAX_VERSIONS + " symbol versions");
                }
                String file = name(u32(vn, 4), "the file name of version need entry " + i);
                List<String> names = new ArrayList<>();
                long a = at + u32(vn, 8);
                for (int j = 0; j < cnt; j++) {
                    ByteBuffer aux = record(a, false, "version " + j + " of version need entry " + i);
                    if (aux == null) {
                        break;
                    }
                    names.add(name(u32(aux, 8), "version " + j + " of version need entry " + i));
                    long next = u32(aux, 12);
                    if (next == 0) {
                        break;
                    }
                    a += next;
                }
                if (file != null && !names.contains(null)) { // else a name is missing: no result this attempt
                    needs.add(new ElfFile.VersionNeed(file, names));
                }
                long next = u32(vn, 12);
                if (next == 0) {
                    break;
                }
                at += next;
            }
            return needs;
        }

        // A 16-byte version record, or null when not at hand: then the table's first window is missing when it is
        // the first record (the whole chain usually lies in it), else the record alone.
        private ByteBuffer record(long off, boolean first, String what) {
            if (off < 0 || off > size - 16) {
                throw invalid("has " + what + " at offset " + off + ", beyond the end of the file (" + size
                        + " bytes)");
            }
            ByteBuffer b = bytes.get(off, 16);
            if (b == null) {
                missing.add(new Range(off, first ? (int) Math.min(VERNEED_WINDOW, size - off) : 16));
                return null;
            }
            return b.order(order);
        }

        // A NUL-terminated name of the dynamic string table, or null when not at hand.
        private String name(long o, String what) {
            if (o < 0 || o >= strSize) {
                throw invalid(what + " names offset " + o + ", outside its dynamic string table of " + strSize
                        + " bytes");
            }
            long start = strOff + o;
            int window = (int) Math.min(strSize - o, MAX_NAME);
            ByteBuffer b = bytes.get(start, window);
            if (b == null) {
                missing.add(strSize <= WHOLE_STRING_TABLE ? new Range(strOff, (int) strSize)
                        : new Range(start, window));
                return null;
            }
            for (int i = 0; i < window; i++) {
                if (b.get(i) == 0) {
                    byte[] s = new byte[i];
                    b.get(0, s);
                    return new String(s, StandardCharsets.UTF_8);
                }
            }
            throw invalid(what + (window < MAX_NAME ? " is not terminated within its dynamic string table"
                    : " is longer than " + MAX_NAME + " bytes"));
        }

        // The file offset of a virtual address, through the loadable segment that maps it.
        private long offsetOf(long vaddr, List<long[]> loads, String what) {
            for (long[] l : loads) {
                if (l[0] >= 0 && l[2] >= 0 && vaddr >= l[0] && vaddr - l[0] < l[2]) {
                    long off = l[1] + (vaddr - l[0]);
                    if (l[1] >= 0 && off >= l[1]) {
                        return off;
                    }
                }
            }
            throw invalid("has " + what + " at address 0x" + Long.toHexString(vaddr) + ", which no loadable"
                    + " segment maps");
        }

        private ByteBuffer get(long off, int length, String what) {
            if (off < 0 || off > size - length) {
                throw invalid("has " + what + " (" + length + " bytes at offset " + Long.toUnsignedString(off)
                        + ") beyond the end of the file (" + size + " bytes)");
            }
            ByteBuffer b = bytes.get(off, length);
            if (b == null) {
                missing.add(new Range(off, length));
                throw Missing.INSTANCE;
            }
            return b.order(order);
        }

        private static int u16(ByteBuffer b, int at) {
            return Short.toUnsignedInt(b.getShort(at));
        }

        private static long u32(ByteBuffer b, int at) {
            return Integer.toUnsignedLong(b.getInt(at));
        }

        private static InvalidElfException invalid(String problem) {
            return new InvalidElfException(problem);
        }
    }
}

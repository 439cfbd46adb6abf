package io.github.pybundle.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds small ELF files as a linker would lay them out, described inline by tests: a shared object (by default
 * 64-bit little-endian x86-64) with a program header table (one {@code PT_LOAD} mapping the whole file at address 0,
 * one {@code PT_DYNAMIC}), a dynamic string table, version needs ({@code .gnu.version_r}), a dynamic section and
 * section headers, so that {@code readelf} reads it too. {@link #padding} puts bytes between the tables and the
 * dynamic section (as code would be); {@link #dynamicFirst} puts the dynamic section before the tables (as patchelf
 * leaves files). The offsets of each part are known after {@link #build()}, to corrupt them.
 */
public final class ElfBuilder {
    public static final int EM_386 = 3;
    public static final int EM_ARM = 40;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;

    private int bits = 64;
    private boolean littleEndian = true;
    private int machine = EM_X86_64;
    private int type = 3; // ET_DYN
    private boolean dynamic = true;
    private String soname;
    private final List<String> needed = new ArrayList<>();
    private final List<String> rpath = new ArrayList<>();
    private final List<String> runpath = new ArrayList<>();
    private final Map<String, List<String>> versions = new LinkedHashMap<>();
    private int padding;
    private boolean dynamicFirst;
    private int stringTablePadding;
    private int leadingPadding;
    private int dynstrOffset;
    private int verneedOffset = -1;
    private int dynamicOffset;
    private int phoff;

    /** A 64-bit little-endian x86-64 shared object that needs nothing. */
    public static ElfBuilder sharedObject() {
        return new ElfBuilder();
    }

    public ElfBuilder machine(int machine) {
        this.machine = machine;
        return this;
    }

    public ElfBuilder bits(int bits) {
        this.bits = bits;
        return this;
    }

    public ElfBuilder bigEndian() {
        this.littleEndian = false;
        return this;
    }

    /** {@code e_type}: 1 relocatable, 2 executable, 3 shared object. */
    public ElfBuilder type(int type) {
        this.type = type;
        return this;
    }

    /** No dynamic section: a static executable. */
    public ElfBuilder statik() {
        this.dynamic = false;
        return this;
    }

    public ElfBuilder soname(String soname) {
        this.soname = soname;
        return this;
    }

    public ElfBuilder needed(String... libraries) {
        needed.addAll(List.of(libraries));
        return this;
    }

    /** One {@code DT_RPATH} of these directories, joined with ':'. */
    public ElfBuilder rpath(String... directories) {
        rpath.addAll(List.of(directories));
        return this;
    }

    /** One {@code DT_RUNPATH} of these directories, joined with ':'. */
    public ElfBuilder runpath(String... directories) {
        runpath.addAll(List.of(directories));
        return this;
    }

    /** Versions needed from {@code file}, e.g. {@code needs("libc.so.6", "GLIBC_2.2.5", "GLIBC_2.17")}. */
    public ElfBuilder needs(String file, String... names) {
        versions.computeIfAbsent(file, f -> new ArrayList<>()).addAll(List.of(names));
        return this;
    }

    /** {@code bytes} zero bytes before the dynamic section (or after it, with {@link #dynamicFirst}). */
    public ElfBuilder padding(int bytes) {
        this.padding = bytes;
        return this;
    }

    /**
     * {@code bytes} zero bytes right after the program headers, so that the tables (and, unless
     * {@link #dynamicFirst}, the dynamic section after them) lie that far into the file, as in a large library.
     */
    public ElfBuilder leadingPadding(int bytes) {
        this.leadingPadding = bytes;
        return this;
    }

    /** {@code bytes} zero bytes at the end of the dynamic string table (a big library's table of symbol names). */
    public ElfBuilder stringTablePadding(int bytes) {
        this.stringTablePadding = bytes;
        return this;
    }

    /** The dynamic section right after the program headers, before the string table and version needs. */
    public ElfBuilder dynamicFirst() {
        this.dynamicFirst = true;
        return this;
    }

    public int dynstrOffset() {
        return dynstrOffset;
    }

    /** The offset of the version needs, or -1 when there are none. */
    public int verneedOffset() {
        return verneedOffset;
    }

    public int dynamicOffset() {
        return dynamicOffset;
    }

    public int programHeaderOffset() {
        return phoff;
    }

    /** The size of one dynamic entry: 16 bytes in a 64-bit file, 8 in a 32-bit one. */
    public int dynamicEntrySize() {
        return bits == 64 ? 16 : 8;
    }

    /** The file's bytes. */
    public byte[] build() {
        boolean is64 = bits == 64;
        ByteOrder order = littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        int ehsize = is64 ? 64 : 52;
        int phentsize = is64 ? 56 : 32;
        int phnum = dynamic ? 2 : 1;
        // The dynamic string table: "" first, then each name once.
        Strings dynstr = new Strings();
        List<long[]> dyn = new ArrayList<>(); // tag, value (addresses patched below)
        for (String n : needed) {
            dyn.add(new long[] {1, dynstr.add(n)});
        }
        if (soname != null) {
            dyn.add(new long[] {14, dynstr.add(soname)});
        }
        if (!rpath.isEmpty()) {
            dyn.add(new long[] {15, dynstr.add(String.join(":", rpath))});
        }
        if (!runpath.isEmpty()) {
            dyn.add(new long[] {29, dynstr.add(String.join(":", runpath))});
        }
        int total = versions.values().stream().mapToInt(List::size).sum();
        ByteBuffer vn = ByteBuffer.allocate(16 * (versions.size() + total)).order(order);
        int index = 2;
        int i = 0;
        for (Map.Entry<String, List<String>> e : versions.entrySet()) {
            int cnt = e.getValue().size();
            vn.putShort((short) 1).putShort((short) cnt).putInt(dynstr.add(e.getKey())).putInt(16)
                    .putInt(++i < versions.size() ? 16 + 16 * cnt : 0);
            for (int j = 0; j < cnt; j++) {
                String name = e.getValue().get(j);
                vn.putInt((int) elfHash(name)).putShort((short) 0).putShort((short) index++)
                        .putInt(dynstr.add(name)).putInt(j + 1 < cnt ? 16 : 0);
            }
        }
        byte[] strings = java.util.Arrays.copyOf(dynstr.bytes(), dynstr.bytes().length + stringTablePadding);
        int dynEntry = is64 ? 16 : 8;
        int dynCount = dyn.size() + 2 + (versions.isEmpty() ? 0 : 2) + 1;
        int dynSize = dynEntry * dynCount;
        // Layout.
        phoff = ehsize;
        int at = phoff + phentsize * phnum + leadingPadding;
        if (dynamicFirst && dynamic) {
            dynamicOffset = align(at, 8);
            at = dynamicOffset + dynSize + padding;
        }
        dynstrOffset = at;
        at += strings.length;
        verneedOffset = -1;
        if (!versions.isEmpty()) {
            verneedOffset = align(at, 8);
            at = verneedOffset + vn.capacity();
        }
        if (!dynamicFirst && dynamic) {
            at += padding;
            dynamicOffset = align(at, 8);
            at = dynamicOffset + dynSize;
        }
        Strings shstr = new Strings();
        int shstrOffset = at;
        List<int[]> sections = new ArrayList<>(); // name, type, offset, size, link, info, entsize, flags
        sections.add(new int[] {0, 0, 0, 0, 0, 0, 0, 0});
        if (dynamic) {
            sections.add(new int[] {shstr.add(".dynstr"), 3, dynstrOffset, strings.length, 0, 0, 0, 2});
            if (!versions.isEmpty()) {
                sections.add(new int[] {shstr.add(".gnu.version_r"), 0x6ffffffe, verneedOffset, vn.capacity(), 1,
                        versions.size(), 0, 2});
            }
            sections.add(new int[] {shstr.add(".dynamic"), 6, dynamicOffset, dynSize, 1, 0, dynEntry, 3});
        }
        int shstrIndex = sections.size();
        sections.add(new int[] {shstr.add(".shstrtab"), 3, shstrOffset, 0, 0, 0, 0, 0});
        byte[] shstrBytes = shstr.bytes();
        sections.get(shstrIndex)[3] = shstrBytes.length;
        int shentsize = is64 ? 64 : 40;
        int shoff = align(shstrOffset + shstrBytes.length, 8);
        int size = shoff + shentsize * sections.size();
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        // ELF header.
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (littleEndian ? 1 : 2), 1, 0});
        b.position(16);
        b.putShort((short) type).putShort((short) machine).putInt(1);
        if (is64) {
            b.putLong(0).putLong(phoff).putLong(shoff);
        } else {
            b.putInt(0).putInt(phoff).putInt(shoff);
        }
        b.putInt(0).putShort((short) ehsize).putShort((short) phentsize).putShort((short) phnum)
                .putShort((short) shentsize).putShort((short) sections.size()).putShort((short) shstrIndex);
        // Program headers: one PT_LOAD mapping the file at address 0, then PT_DYNAMIC.
        b.position(phoff);
        phdr(b, is64, 1, 5, 0, size);
        if (dynamic) {
            phdr(b, is64, 2, 6, dynamicOffset, dynSize);
        }
        b.put(dynstrOffset, strings);
        if (verneedOffset >= 0) {
            b.put(verneedOffset, vn.array());
        }
        if (dynamic) {
            b.position(dynamicOffset);
            for (long[] d : dyn) {
                dynEntry(b, is64, d[0], d[1]);
            }
            dynEntry(b, is64, 5, dynstrOffset); // DT_STRTAB: address = offset, mapped at 0
            dynEntry(b, is64, 10, strings.length); // DT_STRSZ
            if (!versions.isEmpty()) {
                dynEntry(b, is64, 0x6ffffffeL, verneedOffset);
                dynEntry(b, is64, 0x6fffffffL, versions.size());
            }
            dynEntry(b, is64, 0, 0);
        }
        b.put(shstrOffset, shstrBytes);
        b.position(shoff);
        for (int[] s : sections) {
            int address = s[7] != 0 ? s[2] : 0; // allocated sections are mapped at their offset
            int alignment = s[1] == 0 ? 0 : s[1] == 3 ? 1 : is64 ? 8 : 4;
            b.putInt(s[0]).putInt(s[1]);
            if (is64) {
                b.putLong(s[7]).putLong(address).putLong(s[2]).putLong(s[3]).putInt(s[4]).putInt(s[5])
                        .putLong(alignment).putLong(s[6]);
            } else {
                b.putInt(s[7]).putInt(address).putInt(s[2]).putInt(s[3]).putInt(s[4]).putInt(s[5])
                        .putInt(alignment).putInt(s[6]);
            }
        }
        return b.array();
    }

    private static void phdr(ByteBuffer b, boolean is64, int type, int flags, long offset, long size) {
        if (is64) {
            b.putInt(type).putInt(flags).putLong(offset).putLong(offset).putLong(offset).putLong(size)
                    .putLong(size).putLong(type == 1 ? 0x1000 : 8);
        } else {
            b.putInt(type).putInt((int) offset).putInt((int) offset).putInt((int) offset).putInt((int) size)
                    .putInt((int) size).putInt(flags).putInt(type == 1 ? 0x1000 : 4);
        }
    }

    private static void dynEntry(ByteBuffer b, boolean is64, long tag, long value) {
        if (is64) {
            b.putLong(tag).putLong(value);
        } else {
            b.putInt((int) tag).putInt((int) value);
        }
    }

    private static int align(int at, int alignment) {
        return (at + alignment - 1) / alignment * alignment;
    }

    // The System V ABI's ELF hash, which vna_hash holds.
    private static long elfHash(String name) {
        long h = 0;
        for (byte c : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h << 4) + (c & 0xff);
            long g = h & 0xf0000000L;
            if (g != 0) {
                h ^= g >>> 24;
            }
            h &= ~g;
        }
        return h;
    }

    // A string table: "" at offset 0, each string once.
    private static final class Strings {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Map<String, Integer> offsets = new LinkedHashMap<>();

        Strings() {
            out.write(0);
        }

        int add(String s) {
            return offsets.computeIfAbsent(s, k -> {
                int at = out.size();
                out.writeBytes(k.getBytes(StandardCharsets.UTF_8));
                out.write(0);
                return at;
            });
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}

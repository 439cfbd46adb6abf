package io.github.pybundle.core.spec.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pybundle.testing.ElfBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ElfReaderTest {
    static ElfBuilder extension() {
        return ElfBuilder.sharedObject().soname("_ext.so").needed("libfoo.so.3", "libstdc++.so.6", "libc.so.6")
                .rpath("$ORIGIN/../old.libs").runpath("$ORIGIN/../pkg.libs", "/opt/lib")
                .needs("libstdc++.so.6", "GLIBCXX_3.4", "CXXABI_1.3.11", "GLIBCXX_3.4.26")
                .needs("libc.so.6", "GLIBC_2.2.5", "GLIBC_2.28");
    }

    static Stream<ElfBuilder> layouts() {
        return Stream.of(extension(), extension().bits(32).machine(ElfBuilder.EM_386),
                extension().bits(32).bigEndian().machine(20), extension().bigEndian().machine(22),
                extension().padding(300_000), extension().dynamicFirst().padding(300_000));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void read_givesWhatTheLoaderNeeds(ElfBuilder b) {
        ElfFile f = ElfReader.read(b.build());
        assertEquals("_ext.so", f.soname());
        assertEquals(List.of("libfoo.so.3", "libstdc++.so.6", "libc.so.6"), f.needed());
        assertEquals(List.of("$ORIGIN/../old.libs"), f.rpath());
        assertEquals(List.of("$ORIGIN/../pkg.libs", "/opt/lib"), f.runpath());
        assertEquals(List.of(new ElfFile.VersionNeed("libstdc++.so.6", List.of("GLIBCXX_3.4", "CXXABI_1.3.11",
                "GLIBCXX_3.4.26")), new ElfFile.VersionNeed("libc.so.6", List.of("GLIBC_2.2.5", "GLIBC_2.28"))),
                f.versionNeeds());
        assertEquals(ElfFile.ET_DYN, f.type());
        assertTrue(f.loadable());
    }

    @Test
    void read_classByteOrderAndMachine() {
        ElfFile f = ElfReader.read(ElfBuilder.sharedObject().machine(ElfBuilder.EM_AARCH64).build());
        assertEquals(64, f.bits());
        assertTrue(f.littleEndian());
        assertEquals(183, f.machine());
        assertEquals("aarch64", f.describe());
        ElfFile s390 = ElfReader.read(ElfBuilder.sharedObject().bigEndian().machine(22).build());
        assertEquals("s390x", s390.describe());
        ElfFile arm = ElfReader.read(ElfBuilder.sharedObject().bits(32).machine(ElfBuilder.EM_ARM).build());
        assertEquals("armv7l", arm.describe());
        assertEquals("ELF machine 190, 64-bit little-endian", ElfMachine.describe(190, 64, true));
    }

    @Test
    void identify_readsTheHeaderOnly() {
        byte[] head = Arrays.copyOf(ElfBuilder.sharedObject().machine(ElfBuilder.EM_AARCH64).needed("libc.so.6")
                .build(), 64);
        ElfFile f = ElfReader.identify(head);
        assertEquals("aarch64", f.describe());
        assertEquals(List.of(), f.needed());
        assertThrows(InvalidElfException.class, () -> ElfReader.identify(Arrays.copyOf(head, 40)));
    }

    @Test
    void read_staticExecutableNeedsNothing() {
        ElfFile f = ElfReader.read(ElfBuilder.sharedObject().type(ElfFile.ET_EXEC).statik().build());
        assertEquals(List.of(), f.needed());
        assertEquals(List.of(), f.versionNeeds());
        assertTrue(f.loadable());
    }

    @Test
    void read_relocatableObjectIsNotLoadable() {
        byte[] b = ElfBuilder.sharedObject().type(ElfFile.ET_REL).statik().build();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(56, (short) 0); // e_phnum 0, as in a .o file
        ElfFile f = ElfReader.read(b);
        assertEquals(ElfFile.ET_REL, f.type());
        assertTrue(!f.loadable());
    }

    // The same file streamed in chunks of every size, with a small first-pass prefix that forces more passes.
    @ParameterizedTest
    @MethodSource("layouts")
    void stream_readsWhatTheWholeFileGives(ElfBuilder b) {
        byte[] file = b.build();
        ElfFile whole = ElfReader.read(file);
        for (int prefix : new int[] {0, 100, 4096, 1 << 22}) {
            for (int chunk : new int[] {1, 7, 64, 4096, 65536}) {
                assertEquals(whole, streamed(file, prefix, chunk), "prefix " + prefix + ", chunks of " + chunk);
            }
        }
    }

    @Test
    void stream_keepsTheFirstPassWhenThePrefixHoldsTheTables() {
        byte[] file = extension().padding(300_000).build(); // tables first, the dynamic segment 300 kB further
        int[] passes = new int[1];
        streamed(file, 4096, 65536, passes);
        assertEquals(1, passes[0], "the dynamic segment is kept on the way; the tables are in the prefix");
        passes[0] = 0;
        assumeWindows();
        streamed(file, 64, 65536, passes);
        assertEquals(1, passes[0], "without the tables in the prefix, the window kept before the dynamic segment"
                + " holds them");
    }

    // As NVIDIA's libcusparseLt.so.0 lays itself out: a string table right before the dynamic segment, both far
    // beyond the prefix. The window the first pass keeps before the dynamic segment saves a second pass; tables
    // further back than the window still take one.
    @Test
    void stream_keepsTheTablesJustBeforeTheDynamicSegmentOnTheFirstPass() {
        assumeWindows();
        byte[] file = extension().leadingPadding(9 << 20).stringTablePadding(3 << 20).build();
        ElfFile whole = ElfReader.read(file);
        assertEquals(List.of("libfoo.so.3", "libstdc++.so.6", "libc.so.6"), whole.needed());
        int[] passes = new int[1];
        assertEquals(whole, streamed(file, ElfStream.DEFAULT_PREFIX, 65536, passes));
        assertEquals(1, passes[0], "the tables lie in the window before the dynamic segment");
        byte[] far = extension().leadingPadding(9 << 20).padding(ElfStream.WINDOW + 100_000).build();
        passes[0] = 0;
        assertEquals(ElfReader.read(far), streamed(far, ElfStream.DEFAULT_PREFIX, 65536, passes));
        assertEquals(2, passes[0], "the tables lie further back than the window: one more pass reads them");
    }

    // One thread's buffers serve file after file: what one file left in them never shows in the next one's reading.
    @Test
    void stream_reusesItsBuffersFromOneFileToTheNext() {
        ElfStream.Buffers buffers = new ElfStream.Buffers();
        byte[] big = extension().leadingPadding(9 << 20).stringTablePadding(3 << 20).build();
        byte[] other = ElfBuilder.sharedObject().soname("libother.so.1").needed("libc.so.6")
                .needs("libc.so.6", "GLIBC_2.17").leadingPadding(5 << 20).build();
        byte[] small = ElfBuilder.sharedObject().soname("libsmall.so").needed("libm.so.6").build();
        for (byte[] file : List.of(big, other, small, big, small, other)) {
            assertEquals(ElfReader.read(file), streamed(file, ElfStream.DEFAULT_PREFIX, 65536, new int[1], buffers));
        }
    }

    // A JVM whose heap admits a window for each processor, as the tests that count one pass need (ElfStream.Buffers).
    static void assumeWindows() {
        Assumptions.assumeTrue(new ElfStream.Buffers().window(ElfStream.WINDOW) != null,
                "a heap too small for one 16 MiB window per processor: files take their second pass");
    }

    // The window is only a guess: a thread keeps one array for it, and none when the heap is too small for one per
    // thread.
    @Test
    void buffers_takeAWindowOnlyWithRoomInTheHeap() {
        ElfStream.Buffers buffers = new ElfStream.Buffers();
        byte[] w = buffers.window(1 << 20);
        assertTrue(w != null && w.length >= 1 << 20);
        assertTrue(buffers.window(4096) == w, "the same array, reused");
        Runtime rt = Runtime.getRuntime();
        long tooLarge = rt.maxMemory() / ElfStream.Buffers.HEAP_SHARE / rt.availableProcessors() + 1;
        Assumptions.assumeTrue(tooLarge < Integer.MAX_VALUE - 16, "a heap this large leaves room for any array");
        assertNull(new ElfStream.Buffers().window((int) tooLarge), "no room: no window, nothing allocated");
    }

    // A string table over 16 MiB is asked for name by name, not whole: the dynamic section first, then 17 MB of it.
    @Test
    void stream_readsAHugeStringTableNameByName() {
        byte[] file = extension().dynamicFirst().stringTablePadding(17 << 20).build();
        ElfFile whole = ElfReader.read(file);
        assertEquals(List.of("libfoo.so.3", "libstdc++.so.6", "libc.so.6"), whole.needed());
        int[] passes = new int[1];
        assertEquals(whole, streamed(file, 4096, 65536, passes));
        // The needed libraries' names are kept on the way (after the dynamic section); the version names, found in
        // the version records after the 17 MB table, take a second pass that stops at them.
        assertEquals(2, passes[0]);
    }

    static ElfFile streamed(byte[] file, int prefix, int chunk) {
        return streamed(file, prefix, chunk, new int[1]);
    }

    static ElfFile streamed(byte[] file, int prefix, int chunk, int[] passes) {
        return streamed(file, prefix, chunk, passes, new ElfStream.Buffers());
    }

    static ElfFile streamed(byte[] file, int prefix, int chunk, int[] passes, ElfStream.Buffers buffers) {
        ElfStream s = new ElfStream(file.length, prefix, buffers);
        boolean first = true;
        while (true) {
            passes[0]++;
            for (int at = 0; at < file.length && (first || s.wantsMore()); at += chunk) {
                s.accept(file, at, Math.min(chunk, file.length - at));
            }
            first = false;
            ElfFile f = s.endPass();
            if (f != null) {
                return f;
            }
            if (passes[0] > 20) {
                fail("no end");
            }
        }
    }

    @Test
    void read_refusesWhatIsNotElf() {
        assertMessage(new byte[10], "is 10 bytes long, too short for an ELF header");
        assertMessage(new byte[64], "does not start with the ELF magic number");
        byte[] b = extension().build();
        b[4] = 3;
        assertMessage(b, "has an unknown ELF class 3 (1 is 32-bit, 2 is 64-bit)");
        b = extension().build();
        b[5] = 0;
        assertMessage(b, "has an unknown ELF byte order 0");
    }

    @Test
    void read_namesTheStructureThatLiesOutsideTheFile() {
        ElfBuilder e = extension();
        byte[] b = e.build();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(e.programHeaderOffset() + 56 + 8, 1L << 40); // PT_DYNAMIC's p_offset
        assertMessage(b, "has its dynamic segment (");
        assertMessage(b, "beyond the end of the file (" + b.length + " bytes)");
        b = e.build();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(32, -1L); // e_phoff
        assertMessage(b, "has its program header table (112 bytes at offset 18446744073709551615) beyond the end");
    }

    @Test
    void read_refusesAStringTableNoSegmentMaps() {
        ElfBuilder e = extension();
        byte[] b = e.build();
        patchDynamic(e, b, 5, 0x7000_0000L); // DT_STRTAB
        assertMessage(b, "has its dynamic string table (DT_STRTAB) at address 0x70000000, which no loadable"
                + " segment maps");
    }

    @Test
    void read_refusesANameWithoutItsEnd() {
        ElfBuilder e = ElfBuilder.sharedObject().needed("libc.so.6");
        byte[] b = e.build();
        patchDynamic(e, b, 10, "libc.so.6".length() + 1); // DT_STRSZ cuts the NUL off
        assertMessage(b, "a DT_NEEDED entry is not terminated within its dynamic string table");
        patchDynamic(e, b, 10, 1 << 30);
        assertMessage(b, "declares a dynamic string table of 1073741824 bytes at offset");
    }

    @Test
    void read_followsAVersionChainThatLoopsOnlyAsFarAsItsCount() {
        ElfBuilder e = ElfBuilder.sharedObject().needed("libc.so.6").needs("libc.so.6", "GLIBC_2.2.5");
        byte[] b = e.build();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(e.verneedOffset() + 12, 0); // vn_next 0 is the end, whatever the count says
        patchDynamic(e, b, 0x6fffffffL, 1000); // DT_VERNEEDNUM
        assertEquals(1, ElfReader.read(b).versionNeeds().size());
        bb.putInt(e.verneedOffset() + 16 + 12, 0); // vna_next
        bb.putShort(e.verneedOffset() + 2, (short) 3); // vn_cnt 3, the chain of one
        assertEquals(List.of("GLIBC_2.2.5"), ElfReader.read(b).versionNeeds().get(0).versions());
        patchDynamic(e, b, 0x6fffffffL, 5000);
        assertMessage(b, "declares 5000 files it needs versions of, more than the 1024 pybundle reads");
    }

    @Test
    void read_aSelfReferencingChainEnds() {
        ElfBuilder e = ElfBuilder.sharedObject().needs("libc.so.6", "GLIBC_2.2.5");
        byte[] b = e.build();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(e.verneedOffset() + 16 + 12, 0x10000000); // vna_next far away
        bb.putShort(e.verneedOffset() + 2, (short) 2);
        assertMessage(b, "has version 1 of version need entry 0 at offset");
        byte[] back = e.build();
        bb = ByteBuffer.wrap(back).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(e.verneedOffset() + 16 + 12, 0xfffffff0); // vna_next "back" (unsigned: far away)
        bb.putShort(e.verneedOffset() + 2, (short) 2);
        assertThrows(InvalidElfException.class, () -> ElfReader.read(back));
    }

    // Every prefix of a file and every single-byte change: a result or an InvalidElfException, nothing else.
    @ParameterizedTest
    @MethodSource("layouts")
    void read_neverFailsOtherwiseOnDamagedFiles(ElfBuilder e) {
        byte[] good = e.padding(0).build();
        for (int n = 0; n < good.length; n++) {
            readOrRefuse(Arrays.copyOf(good, n));
        }
        for (int i = 0; i < good.length; i++) {
            for (int v : new int[] {0, 0xff, 0x80, good[i] ^ 1}) {
                byte[] b = good.clone();
                b[i] = (byte) v;
                readOrRefuse(b);
                if (b.length > 16 && ElfReader.isElf(b, 0, 4)) {
                    try {
                        ElfFile whole = ElfReader.read(b);
                        assertEquals(whole, streamed(b, 64, 100));
                    } catch (InvalidElfException expected) {
                        assertThrows(InvalidElfException.class, () -> streamed(b, 64, 100));
                    }
                }
            }
        }
    }

    private static void readOrRefuse(byte[] b) {
        try {
            ElfReader.read(b);
        } catch (InvalidElfException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
        }
    }

    @Test
    void isElf_looksAtTheMagicNumberOnly() {
        assertTrue(ElfReader.isElf(new byte[] {0x7f, 'E', 'L', 'F'}, 0, 4));
        assertTrue(!ElfReader.isElf(new byte[] {0x7f, 'E', 'L'}, 0, 3));
        assertTrue(!ElfReader.isElf("#!/bin/sh".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 9));
        assertNull(ElfMachine.of("sparc"));
    }

    // Replaces the value of the first dynamic entry with this tag.
    static void patchDynamic(ElfBuilder e, byte[] b, long tag, long value) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = e.dynamicOffset(); ; at += 16) {
            long t = bb.getLong(at);
            if (t == tag) {
                bb.putLong(at + 8, value);
                return;
            }
            if (t == 0) {
                throw new IllegalArgumentException("no tag " + tag);
            }
        }
    }

    private static void assertMessage(byte[] b, String part) {
        InvalidElfException e = assertThrows(InvalidElfException.class, () -> ElfReader.read(b));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}

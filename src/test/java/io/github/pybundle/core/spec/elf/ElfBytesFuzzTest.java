package io.github.pybundle.core.spec.elf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pybundle.testing.ElfBuilder;
import io.github.pybundle.testing.FuzzFindings;
import java.io.IOException;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte-level fuzzing of the ELF reader: libFuzzer's mutations of whole ELF files, starting from the files
 * {@link ElfBuilder} makes (64- and 32-bit, both byte orders, tables before and after the dynamic section). The
 * contract: {@link ElfReader#read} returns or throws {@link InvalidElfException}, nothing else, and {@link ElfStream}
 * (a small prefix, so that it takes several passes, and the buffers the inputs before it used) comes to the same
 * result. See docs/security.md.
 */
class ElfBytesFuzzTest {
    static Stream<byte[]> seeds() {
        return ElfReaderTest.layouts().map(b -> b.padding(64).build());
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void elfBytes(byte[] bytes) throws IOException {
        try {
            check(bytes);
        } catch (Throwable t) {
            FuzzFindings.keep(bytes, ".so");
            throw t;
        }
    }

    // Shared from one input to the next, as one verifier thread shares them from one file to the next: what an input
    // left in them (one that failed half-way too) must never show in the next one's reading.
    private static final ThreadLocal<ElfStream.Buffers> BUFFERS = ThreadLocal.withInitial(ElfStream.Buffers::new);

    static void check(byte[] bytes) {
        ElfFile whole;
        try {
            whole = ElfReader.read(bytes);
        } catch (InvalidElfException e) {
            whole = null;
        }
        if (bytes.length < 16) {
            return;
        }
        ElfFile streamed;
        try {
            streamed = ElfReaderTest.streamed(bytes, 64, 100, new int[1], BUFFERS.get());
        } catch (InvalidElfException e) {
            streamed = null;
        }
        if (!Objects.equals(whole, streamed)) {
            throw new AssertionError("read whole: " + whole + "; streamed: " + streamed);
        }
    }
}

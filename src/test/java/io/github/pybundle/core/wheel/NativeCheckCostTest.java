package io.github.pybundle.core.wheel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.spec.elf.ElfFile;
import io.github.pybundle.core.spec.elf.ElfReader;
import io.github.pybundle.core.spec.elf.ElfStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What reading the ELF files costs on real wheels, and that real manylinux wheels pass: every wheel under the
 * directory {@code -Dpybundle.nativeCost} names (e.g. {@code ~/.cache/pybundle/files}) is checked cold (no memo)
 * with and without reading its ELF files, several times, alternating; the medians are printed, and the wheels are
 * checked against their own manylinux2014 target. Not part of the normal run (it needs those wheels); the numbers are
 * in docs/bundle.md.
 */
@EnabledIfSystemProperty(named = "pybundle.nativeCost", matches = ".+")
class NativeCheckCostTest {
    private static final int RUNS = 5;

    @Test
    void cost() throws Exception {
        List<Path> wheels;
        try (Stream<Path> s = Files.walk(Path.of(System.getProperty("pybundle.nativeCost")))) {
            wheels = s.filter(p -> p.toString().endsWith(".whl")).sorted().toList();
        }
        assertTrue(!wheels.isEmpty(), "no wheels");
        List<NativeCheck.Wheel> all = new ArrayList<>();
        long totalWith = 0;
        long totalWithout = 0;
        System.out.printf("%-80s %6s %9s %9s %8s %6s %s%n", "wheel", "ELF", "without", "with", "extra", "passes",
                "glibc");
        for (Path w : wheels) {
            WheelVerifier.verify(w, WheelSource.DEFAULT_MAX_INFLATED, -1); // warm the JIT and the page cache
            List<Long> with = new ArrayList<>();
            List<Long> without = new ArrayList<>();
            NativeFiles natives = null;
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                WheelVerifier.verify(w, WheelSource.DEFAULT_MAX_INFLATED, -1);
                long t1 = System.nanoTime();
                natives = WheelVerifier.verify(w, WheelSource.DEFAULT_MAX_INFLATED, ElfStream.DEFAULT_PREFIX);
                long t2 = System.nanoTime();
                without.add(t1 - t0);
                with.add(t2 - t1);
            }
            long a = median(without);
            long b = median(with);
            totalWith += b;
            totalWithout += a;
            all.add(new NativeCheck.Wheel(w.getFileName().toString(), natives));
            System.out.printf("%-80s %6d %7.0fms %7.0fms %7.0fms %6s %s%n", w.getFileName(), natives.files().size(),
                    a / 1e6, b / 1e6, (b - a) / 1e6, passes(w), natives.highestGlibc());
            for (NativeFiles.File f : natives.files()) {
                assertTrue(f.problem() == null, w.getFileName() + " " + f.path() + ": " + f.problem());
            }
        }
        System.out.printf("total: without %.0f ms, with %.0f ms (+%.1f%%)%n", totalWithout / 1e6, totalWith / 1e6,
                100.0 * (totalWith - totalWithout) / totalWithout);
        List<String> notes = new ArrayList<>();
        BuildListener listener = (level, message) -> notes.add(level + " " + message);
        // Each set of wheels for one Python as one output (the cache holds wheels for several).
        for (String py : List.of("cp38", "cp311")) {
            List<NativeCheck.Wheel> set = all.stream().filter(w -> w.filename().contains("-" + py + "-")
                    || w.filename().contains("-none-any")).toList();
            long t0 = System.nanoTime();
            assertDoesNotThrow(() -> NativeCheck.of(List.of("manylinux2014_x86_64"), 3,
                    Integer.parseInt(py.substring(3)), List.of()).check(set, listener), py);
            System.out.printf("verdict for %s (%d wheels) on manylinux2014_x86_64: %.1f ms%n", py, set.size(),
                    (System.nanoTime() - t0) / 1e6);
        }
        System.out.println(notes);
    }

    // How many passes over each ELF file the stream reader needs with the default prefix: "1" or e.g. "1×70, 2×3".
    private static String passes(Path wheel) throws IOException {
        int[] counts = new int[10];
        try (ZipFile z = new ZipFile(wheel.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                byte[] head;
                try (InputStream in = z.getInputStream(e)) {
                    head = in.readNBytes(4);
                }
                if (!ElfReader.isElf(head, 0, head.length)) {
                    continue;
                }
                ElfStream s = new ElfStream(e.getSize(), ElfStream.DEFAULT_PREFIX);
                byte[] buf = new byte[65536];
                for (int pass = 1; ; pass++) {
                    try (InputStream in = z.getInputStream(e)) {
                        for (int n; (pass == 1 || s.wantsMore()) && (n = in.read(buf)) >= 0; ) {
                            s.accept(buf, 0, n);
                        }
                    }
                    ElfFile f = s.endPass();
                    if (f != null) {
                        counts[pass]++;
                        break;
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > 0) {
                out.add(i + "×" + counts[i]);
            }
        }
        return out.isEmpty() ? "-" : String.join(",", out);
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}

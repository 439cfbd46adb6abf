package io.github.pybundle.core.bundle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.bundle.EnvironmentArchiveBuilderTest;
import io.github.pybundle.core.wheel.UnsafeWheelException;
import io.github.pybundle.core.wheel.WheelVerifier;
import io.github.pybundle.testing.TestWheels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WheelVerifierTest {
    @TempDir
    Path dir;

    private Path wheel(Path where, String name) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            big.append("VALUE_").append(i).append(" = ").append(i * 7).append('\n');
        }
        files.put(name + "/__init__.py", big.toString());
        files.put(name + "/util.py", "def f():\n    return 1\n");
        Path p = Files.createDirectories(where).resolve(name + "-1.0-py3-none-any.whl");
        Files.write(p, TestWheels.build(new TestWheels.Spec(name, "1.0", "py3-none-any", List.of(), null, files)));
        return p;
    }

    // Offsets of an entry's central directory header and its stored data, found by walking the zip's records.
    private static int central(byte[] z, String entry) {
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        for (int i = z.length - 46; i >= 0; i--) {
            if (z[i] == 0x50 && z[i + 1] == 0x4b && z[i + 2] == 1 && z[i + 3] == 2) {
                int len = u16(z, i + 28);
                if (len == name.length && java.util.Arrays.equals(z, i + 46, i + 46 + len, name, 0, len)) {
                    return i;
                }
            }
        }
        throw new AssertionError("no central header for " + entry);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static int u32(byte[] b, int off) {
        return u16(b, off) | u16(b, off + 2) << 16;
    }

    @Test
    void aCrcThatDisagreesWithTheContentIsRefused() throws Exception {
        Path w = wheel(dir.resolve("w"), "crcpkg");
        byte[] z = Files.readAllBytes(w);
        int c = central(z, "crcpkg/__init__.py");
        z[c + 16] ^= 0x01; // the CRC-32 the central directory declares; RECORD still matches the content
        Files.write(w, z);
        UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> WheelVerifier.verify(w));
        assertTrue(e.getMessage().contains("crcpkg-1.0-py3-none-any.whl: entry 'crcpkg/__init__.py'")
                && e.getMessage().contains("CRC-32"), e.getMessage());
    }

    @Test
    void aCorruptDeflateStreamIsRefused() throws Exception {
        Path w = wheel(dir.resolve("w"), "bitrot");
        byte[] z = Files.readAllBytes(w);
        int c = central(z, "bitrot/__init__.py");
        int local = u32(z, c + 42);
        int data = local + 30 + u16(z, local + 26) + u16(z, local + 28);
        int compressed = u32(z, c + 20);
        for (int i = data + compressed / 3; i < data + compressed / 3 + 16; i++) {
            z[i] = (byte) ~z[i];
        }
        Files.write(w, z);
        UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> WheelVerifier.verify(w));
        assertTrue(e.getMessage().startsWith("bitrot-1.0-py3-none-any.whl: entry 'bitrot/__init__.py"),
                e.getMessage());
    }

    @Test
    void verifyAll_namesTheBadWheelAmongSeveralCheckedInParallel() throws Exception {
        List<Path> wheels = new ArrayList<>();
        for (String n : List.of("alpha", "beta", "gamma", "delta")) {
            wheels.add(wheel(dir.resolve("w"), n));
        }
        Path bad = wheels.get(2);
        EnvironmentArchiveBuilderTest.rewrite(bad, bad, "gamma/util.py", "import os\n");
        UnsafeWheelException e = assertThrows(UnsafeWheelException.class,
                () -> WheelVerifier.verifyAll(wheels, WheelVerifier.Memo.none()));
        assertTrue(e.getMessage().startsWith("gamma-1.0-py3-none-any.whl: entry 'gamma/util.py' does not match its"
                + " RECORD hash"), e.getMessage());
    }

    @Test
    void cacheMemo_remembersCheckedWheelsInsideTheCacheOnly() throws Exception {
        Path cache = dir.resolve("cache");
        Path inside = wheel(cache.resolve("files/sha256/ab/abcd"), "cached");
        Path outside = wheel(dir.resolve("elsewhere"), "local");
        WheelVerifier.Memo memo = WheelVerifier.Memo.inCache(cache);
        WheelVerifier.verifyAll(List.of(inside, outside), memo);
        assertTrue(memo.checked(inside), "a cache entry is remembered (the cache re-checks its sha256 on use)");
        assertTrue(Files.isRegularFile(inside.resolveSibling(inside.getFileName() + ".checked-v2")));
        assertTrue(memo.checked(outside), "within one build (one memo), a file checked once is not checked again");
        WheelVerifier.Memo nextBuild = WheelVerifier.Memo.inCache(cache);
        assertTrue(nextBuild.checked(inside), "the marker beside the cache entry outlives the build");
        assertFalse(nextBuild.checked(outside), "a file outside the cache can change without notice: checked again");

        // Remembered means not inflated again: the next build only copies (a cache entry's bytes are fixed by
        // its sha256). A file outside the cache is checked in every build, so a change to it is caught.
        EnvironmentArchiveBuilderTest.rewrite(outside, outside, "local/util.py", "import os\n");
        assertThrows(UnsafeWheelException.class, () -> WheelVerifier.verifyAll(List.of(inside, outside), nextBuild));
        assertDoesNotThrow(() -> WheelVerifier.verifyAll(List.of(inside), nextBuild));
        assertFalse(WheelVerifier.Memo.none().checked(inside));
    }

    // Checks under way, as the bundle starts them while wheels download: nobody starts one again, whoever needs the
    // result waits for it, and a failure is thrown where the result is needed, with its message.
    @Test
    void checksUnderWayAreAwaited_andTheirFailureIsThrownWhereTheResultIsNeeded() throws Exception {
        Path good = wheel(dir.resolve("w"), "goodpkg");
        Path bad = wheel(dir.resolve("w"), "crcpkg");
        byte[] z = Files.readAllBytes(bad);
        z[central(z, "crcpkg/__init__.py") + 16] ^= 0x01;
        Files.write(bad, z);
        WheelVerifier.Memo base = WheelVerifier.Memo.inMemory();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        try (WheelVerifier.Ahead ahead = new WheelVerifier.Ahead(base)) {
            ahead.submit(good, () -> {
                release.await();
                runs.incrementAndGet();
                return WheelVerifier.verify(good, base);
            });
            ahead.submit(good, () -> {
                throw new AssertionError("a wheel under way is not checked twice");
            });
            WheelVerifier.Memo memo = ahead.memo();
            assertTrue(memo.checked(good), "under way counts as checked: no second check starts");
            assertFalse(base.checked(good));
            new Thread(() -> {
                sleep(200);
                release.countDown();
            }).start();
            assertTrue(memo.recall(good) != null, "recall waits for the check");
            assertTrue(base.checked(good), "and the check remembered it");
            assertTrue(runs.get() == 1);

            ahead.submit(bad, () -> WheelVerifier.verify(bad, base));
            UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> WheelVerifier.verifyAll(
                    List.of(good, bad), memo));
            assertTrue(e.getMessage().contains("crcpkg-1.0-py3-none-any.whl: entry 'crcpkg/__init__.py'"),
                    e.getMessage());
        }
    }

    // The largest waiting wheel is checked first: one big wheel must not be checked last, alone. (One thread, so that
    // the order the checks start in is the order they run in.)
    @Test
    void theLargestWaitingWheelIsCheckedFirst() throws Exception {
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        try (WheelVerifier.Ahead ahead = new WheelVerifier.Ahead(WheelVerifier.Memo.inMemory(), 1)) {
            ahead.submit(Files.writeString(dir.resolve("busy"), "x"), () -> { // the thread busy: the next ones wait
                busy.countDown();
                release.await();
                return null;
            });
            busy.await();
            for (int size : new int[] {10, 3000, 200}) {
                Path f = Files.write(dir.resolve("w" + size), new byte[size]);
                ahead.submit(f, () -> {
                    order.add(f.getFileName().toString());
                    return null;
                });
            }
            release.countDown();
            for (int size : new int[] {10, 3000, 200}) {
                ahead.memo().recall(dir.resolve("w" + size));
            }
        }
        assertTrue(order.equals(List.of("w3000", "w200", "w10")), order.toString());
    }

    // A check that asks for a wheel's result from the pool itself (its own, or one queued behind it) gets the memo the
    // checks remember wheels in, not a wait that would never end; after close, nothing starts and nothing waits.
    @Test
    void checksNeverWaitForThemselves_andNothingWaitsAfterClose() throws Exception {
        Path good = wheel(dir.resolve("w"), "goodpkg");
        Path later = wheel(dir.resolve("w"), "laterpkg");
        WheelVerifier.Memo base = WheelVerifier.Memo.inMemory();
        WheelVerifier.Ahead ahead = new WheelVerifier.Ahead(base, 1);
        java.util.concurrent.atomic.AtomicReference<Object> seen = new java.util.concurrent.atomic.AtomicReference<>();
        ahead.submit(good, () -> {
            seen.set(String.valueOf(ahead.memo().recall(good)) + " " + ahead.memo().checked(later));
            return WheelVerifier.verify(good, base);
        });
        ahead.submit(later, () -> WheelVerifier.verify(later, base));
        assertTrue(ahead.memo().recall(good) != null);
        assertTrue("null false".equals(seen.get()), String.valueOf(seen.get()));
        ahead.close();
        Path after = wheel(dir.resolve("x"), "afterpkg");
        ahead.submit(after, () -> {
            throw new AssertionError("started after close");
        });
        assertFalse(ahead.memo().checked(after), "not under way: checked where it is needed");
        assertTrue(ahead.memo().recall(after) == null);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

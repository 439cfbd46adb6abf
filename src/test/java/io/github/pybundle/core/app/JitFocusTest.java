package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JitFocusTest {
    @TempDir
    Path cache;

    private static String directives() throws Exception {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
                new Object[] {new String[0]}, new String[] {String[].class.getName()}));
    }

    private static boolean hotSpot() {
        try {
            directives();
            return true;
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    // What a user would see with jcmd <pid> Compiler.directives_print: ours while the build runs, gone after.
    @Test
    void addsItsDirectivesWhileTheBuildRunsAndRemovesThemAfter() throws Exception {
        assumeTrue(hotSpot(), "a JVM with HotSpot's diagnostic commands");
        String before = directives();
        List<String> log = new ArrayList<>();
        JitFocus focus = JitFocus.start(cache, (level, m) -> log.add(level + " " + m));
        try {
            focus.thread().join(10_000);
            assertEquals(2, focus.added(), String.join("\n", log));
            String during = directives();
            assertTrue(during.contains("sun/security/provider/*.*"), during);
            assertTrue(during.length() > before.length(), during);
        } finally {
            focus.close();
        }
        assertEquals(before, directives());
        assertEquals(0, focus.added());
        assertEquals(List.of("DEBUG JIT focus: 2 compiler directives added (C2 for the JDK's cryptography only while"
                + " the bundle is built)", "DEBUG JIT focus: 2 compiler directives removed"), log);
        // The file HotSpot read, in the cache, with a build output's usual mode
        Path file = cache.resolve("jit").resolve(JitFocus.FILE_NAME);
        assertEquals(JitFocus.DIRECTIVES, Files.readString(file));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var listed = Files.list(file.getParent())) {
            assertEquals(List.of(file), listed.toList(), "no temporary file left");
        }
    }

    // A damaged file in the cache is written again, not handed to HotSpot as it is.
    @Test
    void rewritesADamagedDirectivesFile() throws Exception {
        assumeTrue(hotSpot(), "a JVM with HotSpot's diagnostic commands");
        Path file = cache.resolve("jit").resolve(JitFocus.FILE_NAME);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[ { match: [\"*.*\"], c1: { Exclude: true } } ]");
        JitFocus focus = JitFocus.start(cache, (level, m) -> { });
        focus.close();
        assertEquals(JitFocus.DIRECTIVES, Files.readString(file));
        assertFalse(directives().contains("sun/security/provider"));
    }

    // Where the command cannot run (here: a cache that is a file, so the directives cannot be written), the build
    // goes on without it and says why at debug level.
    @Test
    void aFailureOnlyLeavesTheJitAlone() throws Exception {
        Path notADirectory = Files.writeString(cache.resolve("file"), "x");
        List<String> log = new ArrayList<>();
        JitFocus focus = JitFocus.start(notADirectory, (level, m) -> log.add(level + " " + m));
        focus.close();
        assertEquals(0, focus.added());
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("DEBUG JIT focus: not applied ("), log.get(0));
    }
}

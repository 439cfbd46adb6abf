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
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * What a user would see with {@code jcmd <pid> Compiler.directives_print}: pybundle's directives while the goal runs,
 * none after, and nobody else's touched. The JVM's directives are one per JVM: these tests hold a lock on them.
 */
@ResourceLock("jvm-compiler-directives")
class JitFocusTest {
    static final String COMMANDS = "com.sun.management:type=DiagnosticCommand";

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    static String directives() throws Exception {
        return String.valueOf(invoke("compilerDirectivesPrint"));
    }

    static Object invoke(String operation, String... args) throws Exception {
        return ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(COMMANDS), operation,
                new Object[] {args}, new String[] {String[].class.getName()});
    }

    static boolean hotSpot() {
        try {
            return directives().contains("Directive:");
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    private JitFocus started(Path cache) throws Exception {
        JitFocus focus = JitFocus.of(true, (level, m) -> log.add(level + " " + m));
        focus.start(cache);
        focus.awaitAdding();
        return focus;
    }

    @Test
    void addsItsDirectivesWhileTheGoalRunsAndRemovesThemAfter() throws Exception {
        assumeTrue(hotSpot(), "a JVM with HotSpot's diagnostic commands");
        String before = directives();
        Path cache = dir.resolve("a cache with spaces"); // the command splits its arguments at spaces
        JitFocus focus = started(cache);
        try {
            assertEquals(3, focus.added(), String.join("\n", log));
            String during = directives();
            assertTrue(during.contains("sun/security/provider/*.*"), during);
            assertTrue(during.contains("Exclude:true"), during);
        } finally {
            focus.close();
        }
        assertEquals(before, directives());
        assertEquals(0, focus.added());
        assertEquals(List.of("DEBUG JIT focus: 3 compiler directives added (C2 for the JDK's cryptography only while"
                + " the goal runs)", "DEBUG JIT focus: 3 compiler directives removed"), log);
        Path file = cache.resolve("jit").resolve(JitFocus.FILE_NAME); // the file HotSpot read, a normal output
        assertEquals(JitFocus.DIRECTIVES, Files.readString(file));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var listed = Files.list(file.getParent())) {
            assertEquals(List.of(file), listed.toList(), "no temporary file left");
        }
    }

    @Test
    void offDoesNothing() throws Exception {
        JitFocus focus = JitFocus.of(false, (level, m) -> log.add(m));
        focus.start(dir);
        focus.awaitAdding();
        focus.close();
        assertEquals(List.of(), log);
        assertFalse(Files.exists(dir.resolve("jit")));
    }

    @Test
    void aGoalThatEndsBeforeTheDirectivesAreAddedLeavesNoneBehind() throws Exception {
        assumeTrue(hotSpot(), "a JVM with HotSpot's diagnostic commands");
        String before = directives();
        JitFocus focus = JitFocus.of(true, (level, m) -> log.add(m));
        focus.start(dir);
        focus.close(); // at once: the adding thread has most likely not got far
        focus.awaitAdding();
        assertEquals(before, directives());
        assertEquals(0, focus.added());
        focus.start(dir); // after close: nothing starts again
        focus.awaitAdding();
        assertEquals(before, directives());
    }

    @Test
    void aDamagedDirectivesFileIsWrittenAgain() throws Exception {
        assumeTrue(hotSpot(), "a JVM with HotSpot's diagnostic commands");
        Path file = dir.resolve("jit").resolve(JitFocus.FILE_NAME);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[ { match: [\"*.*\"], c1: { Exclude: true } } ]");
        started(dir).close();
        assertEquals(JitFocus.DIRECTIVES, Files.readString(file));
        assertFalse(directives().contains("sun/security/provider"));
    }

    // Somebody's own directives (-XX:CompilerDirectivesFile, jcmd): pybundle neither overrides nor removes them.
    @Test
    void directivesThatWereThereFirstAreLeftAlone() throws Exception {
        assumeTrue(hotSpot(), "a JVM with HotSpot's diagnostic commands");
        Path theirs = Files.writeString(dir.resolve("theirs.json"), "[ { match: [\"their/*.*\"], c2: { Exclude: true } } ]");
        invoke("compilerDirectivesAdd", theirs.toString());
        try {
            String before = directives();
            JitFocus focus = started(dir.resolve("cache"));
            assertEquals(0, focus.added());
            assertEquals(before, directives());
            focus.close();
            assertEquals(before, directives());
            assertTrue(log.contains("DEBUG JIT focus: not applied (this JVM has compiler directives already)"),
                    log.toString());
        } finally {
            invoke("compilerDirectivesRemove");
        }
    }

    @Test
    void directivesAddedMeanwhileAreNotRemovedInsteadOfOurs() throws Exception {
        assumeTrue(hotSpot(), "a JVM with HotSpot's diagnostic commands");
        String before = directives();
        JitFocus focus = started(dir.resolve("cache"));
        Path theirs = Files.writeString(dir.resolve("theirs.json"), "[ { match: [\"their/*.*\"], c2: { Exclude: true } } ]");
        invoke("compilerDirectivesAdd", theirs.toString());
        try {
            String both = directives();
            focus.close();
            assertEquals(both, directives(), "theirs, and ours beneath them, left in place");
            assertTrue(log.stream().anyMatch(m -> m.startsWith("WARN The JVM's compiler directives changed while"
                    + " pybundle's JIT focus held: its 3 directives are left in place")), log.toString());
        } finally {
            for (int i = 0; i < 1 + 3; i++) { // theirs, then ours
                invoke("compilerDirectivesRemove");
            }
        }
        assertEquals(before, directives());
    }

    // Where the directives cannot be written (a cache that is a file), the goal goes on; -X says why.
    @Test
    void aFailureOnlyLeavesTheJitAlone() throws Exception {
        assumeTrue(hotSpot(), "a JVM with HotSpot's diagnostic commands");
        String before = directives();
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        JitFocus focus = started(notADirectory);
        focus.close();
        assertEquals(0, focus.added());
        assertEquals(before, directives());
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("DEBUG JIT focus: not applied ("), log.get(0));
    }

    @Test
    void onlyOnTwoProcessorsOrFewer() {
        assertTrue(JitFocus.worthwhile(1));
        assertTrue(JitFocus.worthwhile(2));
        assertFalse(JitFocus.worthwhile(4));
    }
}

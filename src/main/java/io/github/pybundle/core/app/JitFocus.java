package io.github.pybundle.core.app;

import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.cache.CacheBucket;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.BuildListener.Level;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * While a bundle is built from scratch in a JVM that has just started on a machine with few cores, keeps HotSpot's
 * optimising compiler (C2) for the JDK's cryptography (sha256 and TLS, whose intrinsics only C2 uses) and lets the
 * quick compiler (C1) alone compile everything else. A cold build is a few seconds of code run for the first time:
 * on 2 cores C2 spends about as much CPU optimising it as the build's own threads spend working, and most of what it
 * optimises has stopped running by the time it is ready. The hot loops that matter (inflating, CRC-32, copying) are
 * native or C1 intrinsics.
 *
 * <p>Done through HotSpot's documented diagnostic command {@code Compiler.directives_add} (what {@code jcmd}
 * calls), with the directives written to the cache, and undone ({@code Compiler.directives_remove}, once per
 * directive added) when the goal ends. What cannot be undone: a method C2 was asked to compile while the directives
 * held stays compiled by C1 for the rest of this JVM. That is why the caller asks for this only when no other
 * project's build runs in this JVM afterwards or meanwhile (see the bundle goal). Where the JVM offers no such
 * command (not HotSpot, or its management classes are absent) nothing happens.
 */
final class JitFocus implements AutoCloseable {
    /** Directives are matched in order; the first that matches a method applies. */
    static final String DIRECTIVES = """
            [
              { match: ["sun/security/provider/*.*", "com/sun/crypto/provider/*.*"], c2: { Exclude: false } },
              { match: ["*.*"], c2: { Exclude: true } }
            ]
            """;
    static final String FILE_NAME = "c2-for-crypto-only-v1.json";
    private static final Pattern ADDED = Pattern.compile("(\\d+) compiler directives? added");
    private static final String COMMANDS = "com.sun.management:type=DiagnosticCommand";

    /**
     * The most processors this is done on: measured on 2 (cold goal of the benchmark's medium set 3.4-3.7 s without,
     * 2.9-3.2 s with); with more cores C2 runs beside the build instead of taking its place, and this is unmeasured.
     */
    static final int MAX_PROCESSORS = 2;

    private final Thread thread;
    private final BuildListener listener;
    private volatile int added;

    private JitFocus(Path cacheRoot, BuildListener listener) {
        this.listener = listener;
        // On another thread: the JVM's management server takes a tenth of a second of CPU to start.
        this.thread = new Thread(() -> add(cacheRoot), "pybundle-jit-focus");
        thread.setDaemon(true);
    }

    /** Whether this machine is one where C2 takes a cold build's CPU. */
    static boolean worthwhile() {
        return Runtime.getRuntime().availableProcessors() <= MAX_PROCESSORS;
    }

    /** Starts adding the directives; {@link #close()} removes them. */
    static JitFocus start(Path cacheRoot, BuildListener listener) {
        JitFocus focus = new JitFocus(cacheRoot, listener);
        focus.thread.start();
        return focus;
    }

    private void add(Path cacheRoot) {
        try {
            Path file = CacheBucket.JIT.in(cacheRoot).resolve(FILE_NAME);
            byte[] text = DIRECTIVES.getBytes(StandardCharsets.US_ASCII);
            if (!Files.isRegularFile(file) || !java.util.Arrays.equals(Files.readAllBytes(file), text)) {
                AtomicFile.write(file, temp -> Files.write(temp, text));
            }
            Object result = invoke("compilerDirectivesAdd", file.toAbsolutePath().toString());
            Matcher m = ADDED.matcher(String.valueOf(result));
            if (m.find()) {
                added = Integer.parseInt(m.group(1));
                listener.log(Level.DEBUG, "JIT focus: " + added + " compiler directives added (C2 for the JDK's"
                        + " cryptography only while the bundle is built)");
            } else {
                listener.log(Level.DEBUG, "JIT focus: not applied (" + String.valueOf(result).strip() + ")");
            }
        } catch (Exception | LinkageError e) {
            listener.log(Level.DEBUG, "JIT focus: not applied (" + e + ")");
        }
    }

    private static Object invoke(String operation, String... args) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return server.invoke(new ObjectName(COMMANDS), operation, new Object[] {args},
                new String[] {String[].class.getName()});
    }

    Thread thread() {
        return thread;
    }

    /** The number of directives in force (after the thread that adds them has finished). */
    int added() {
        return added;
    }

    /** Removes the directives added, once they are. */
    @Override
    public void close() {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int n = added;
        added = 0;
        try {
            for (int i = 0; i < n; i++) {
                invoke("compilerDirectivesRemove");
            }
            if (n > 0) {
                listener.log(Level.DEBUG, "JIT focus: " + n + " compiler directives removed");
            }
        } catch (Exception | LinkageError e) {
            listener.log(Level.DEBUG, "JIT focus: directives not removed (" + e + ")");
        }
    }
}

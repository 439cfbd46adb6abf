package io.github.pybundle.core.app;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.cache.CacheBucket;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.BuildListener.Level;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * While a bundle is built from scratch (or a lock resolved) in a JVM that has just started on a machine with few
 * cores, keeps HotSpot's optimising compiler (C2) for the JDK's cryptography (sha256 and TLS decryption, whose
 * intrinsics only C2 uses) and lets the quick compiler (C1) alone compile everything else. A cold build is a few
 * seconds of code run for the first time: on 2 cores C2 spends about as much CPU optimising it as the build's own
 * threads spend working, and most of what it optimises has stopped running by the time it is ready. The hot loops
 * that remain (inflating, CRC-32, copying) are native code or C1 intrinsics.
 *
 * <p>Done through HotSpot's diagnostic command {@code Compiler.directives_add} (what {@code jcmd} calls), with the
 * directives written to the cache, and undone ({@code Compiler.directives_remove}, once per directive added) when the
 * goal ends. What cannot be undone: a method C2 was asked to compile while the directives held stays compiled by C1
 * for the rest of this JVM. So the caller asks for this only when no other project's build runs in this JVM later or
 * meanwhile. Left alone: a JVM that is not HotSpot or lacks its management classes, one whose compilers are set up
 * otherwise than by default (no tiered compilation, a stop level, another compilation mode, Graal as the JIT), and
 * one that has compiler directives already (from {@code -XX:CompilerDirectivesFile} or {@code jcmd}).
 */
public final class JitFocus implements AutoCloseable {
    /** Directives are matched in order; the first that matches a method applies. */
    // Not even the cryptography's: the two doFinal methods of AES-GCM, which C2 takes a third of a second to compile
    // (a TLS record each: their work is in the intrinsics below them, which C2 compiles on their own) and the reading
    // of certificates (done once per certificate). Measured on the medium set from the real index, 4 cold builds
    // each, alternating with the crypto-wide list: JIT busy 3.09 -> 2.71 s, resolve + download 2.11 -> 1.91 s.
    static final String DIRECTIVES = """
            [
              { match: ["com/sun/crypto/provider/GaloisCounterMode$GCMDecrypt.doFinal",
                        "com/sun/crypto/provider/GaloisCounterMode$GCMEncrypt.doFinal",
                        "sun/security/provider/X509Factory.*"], c2: { Exclude: true } },
              { match: ["sun/security/provider/*.*", "com/sun/crypto/provider/*.*"], c2: { Exclude: false } },
              { match: ["*.*"], c2: { Exclude: true } }
            ]
            """;
    static final String FILE_NAME = "c2-for-crypto-only-v2.json";

    /**
     * The most processors this is done on: measured on 2 (cold goal of the benchmark's medium set 3.31-3.58 s
     * without, 2.80-2.95 s with); with more cores C2 runs beside the build instead of taking its place, unmeasured.
     */
    static final int MAX_PROCESSORS = 2;

    /** The compiler settings under which the directives do what they are meant to: HotSpot's defaults. */
    private static final Map<String, String> DEFAULT_COMPILERS = Map.of("TieredCompilation", "true",
            "TieredStopAtLevel", "4", "CompilationMode", "default", "UseJVMCICompiler", "false");
    private static final Pattern ADDED = Pattern.compile("(\\d+) compiler directives? added");
    private static final String COMMANDS = "com.sun.management:type=DiagnosticCommand";
    private static final String DIRECTIVE = "Directive:";

    private final BuildListener listener;
    private final boolean enabled;
    private final Object lock = new Object();
    private boolean started;
    private boolean closed;
    private int added;
    private String stackAfterAdding;
    private volatile Thread adder;

    private JitFocus(BuildListener listener, boolean enabled) {
        this.listener = listener;
        this.enabled = enabled;
    }

    /** Whether a machine with this many processors is one where C2 takes a cold build's CPU. */
    public static boolean worthwhile(int processors) {
        return processors <= MAX_PROCESSORS;
    }

    /** A focus that {@link #start} begins, or one that does nothing. */
    static JitFocus of(boolean enabled, BuildListener listener) {
        return new JitFocus(listener, enabled);
    }

    /**
     * Starts adding the directives, once, on another thread (the JVM's management server takes a tenth of a second of
     * CPU to start); {@link #close()} removes them, or keeps them from being added when it comes first.
     */
    void start(Path cacheRoot) {
        synchronized (lock) {
            if (!enabled || started || closed) {
                return;
            }
            started = true;
        }
        Thread t = new Thread(() -> add(cacheRoot), "pybundle-jit-focus");
        t.setDaemon(true);
        adder = t;
        t.start();
    }

    /** Waits until the thread that adds the directives is done (for tests). */
    void awaitAdding() throws InterruptedException {
        Thread t = adder;
        if (t != null) {
            t.join(30_000);
        }
    }

    private void add(Path cacheRoot) {
        try {
            String unusual = unusualCompilers();
            if (unusual != null) {
                listener.log(Level.DEBUG, "JIT focus: not applied (" + unusual + ")");
                return;
            }
            Path file = CacheBucket.JIT.in(cacheRoot).resolve(FILE_NAME).toAbsolutePath();
            byte[] text = DIRECTIVES.getBytes(StandardCharsets.US_ASCII);
            if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), text)) {
                AtomicFile.write(file, temp -> Files.write(temp, text));
            }
            synchronized (lock) {
                if (closed) {
                    return; // the goal is over already
                }
                String before = stack();
                if (count(before) != 1) {
                    listener.log(Level.DEBUG, "JIT focus: not applied (this JVM has compiler directives already)");
                    return;
                }
                // quoted: the command's arguments are split at spaces
                String result = String.valueOf(invoke("compilerDirectivesAdd", "\"" + file + "\"")).strip();
                Matcher m = ADDED.matcher(result);
                stackAfterAdding = stack();
                added = count(stackAfterAdding) - 1;
                if (!m.find() || Integer.parseInt(m.group(1)) != added) {
                    listener.log(Level.DEBUG, "JIT focus: HotSpot answered '" + result + "'");
                }
            }
            listener.log(Level.DEBUG, "JIT focus: " + added + " compiler directives added (C2 for the JDK's"
                    + " cryptography only while the goal runs)");
        } catch (Exception | LinkageError e) {
            listener.log(Level.DEBUG, "JIT focus: not applied (" + e + ")");
        }
    }

    /** Null when the compilers are HotSpot's default ones, else which setting differs. */
    private static String unusualCompilers() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (vm == null) {
            return "not HotSpot";
        }
        for (Map.Entry<String, String> e : DEFAULT_COMPILERS.entrySet()) {
            String value;
            try {
                value = vm.getVMOption(e.getKey()).getValue();
            } catch (IllegalArgumentException absent) {
                continue; // an option this JVM does not have (UseJVMCICompiler without JVMCI) is at its default
            }
            if (!e.getValue().equals(value)) {
                return "-XX:" + e.getKey() + "=" + value;
            }
        }
        return null;
    }

    private static String stack() throws Exception {
        return String.valueOf(invoke("compilerDirectivesPrint"));
    }

    private static int count(String stack) {
        int n = 0;
        for (int i = stack.indexOf(DIRECTIVE); i >= 0; i = stack.indexOf(DIRECTIVE, i + 1)) {
            n++;
        }
        return n;
    }

    private static Object invoke(String operation, String... args) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return server.invoke(new ObjectName(COMMANDS), operation, new Object[] {args},
                new String[] {String[].class.getName()});
    }

    /** The number of directives in force. */
    int added() {
        synchronized (lock) {
            return added;
        }
    }

    /**
     * Removes the directives added (waiting for the thread that adds them if it is doing so), or keeps them from being
     * added. Only when the JVM's directives are still those it left: else somebody added theirs meanwhile, and
     * removing the latest ones would remove theirs.
     */
    @Override
    public void close() {
        int n;
        synchronized (lock) {
            closed = true;
            n = added;
            if (n == 0) {
                return;
            }
            added = 0;
            try {
                if (!stack().equals(stackAfterAdding)) {
                    listener.log(Level.WARN, "The JVM's compiler directives changed while pybundle's JIT focus held:"
                            + " its " + n + " directives are left in place ('jcmd <pid> Compiler.directives_print'"
                            + " lists them, 'jcmd <pid> Compiler.directives_remove' removes the latest)");
                    return;
                }
                for (int i = 0; i < n; i++) {
                    invoke("compilerDirectivesRemove");
                }
            } catch (Exception | LinkageError e) {
                listener.log(Level.DEBUG, "JIT focus: directives not removed (" + e + ")");
                return;
            }
        }
        listener.log(Level.DEBUG, "JIT focus: " + n + " compiler directives removed");
    }
}

package io.github.pybundle.core.wheel;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.spec.dist.DistributionFilename;
import io.github.pybundle.testing.FuzzFindings;
import io.github.pybundle.testing.TestWheels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the wheel fuzz tests hold the wheel reader to: for any bytes in a file named like a wheel, reading it either
 * succeeds or throws a {@link PyBundleException} ({@link UnsafeWheelException} names the wheel first); any other
 * exception, an error or an {@link IOException} (the file is local: there is no real I/O failure to report) is a
 * finding.
 */
final class WheelContract {
    static final String NAME = "pkg-1.0-py3-none-any.whl";
    private static final ThreadLocal<Path> FILE = ThreadLocal.withInitial(() -> {
        try {
            Path dir = Files.createTempDirectory("pybundle-fuzz");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve(NAME);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    });

    private WheelContract() {
    }

    /** Writes {@code bytes} as {@value #NAME} and reads it as pybundle does: open, verify, and the quick reads. */
    static void check(byte[] bytes) throws IOException {
        Path file = FILE.get();
        Files.write(file, bytes);
        try {
            read(file, () -> WheelVerifier.verify(file));
            read(file, () -> WheelSource.isPure(file));
            read(file, () -> {
                String name = WheelSource.properName(file); // becomes a file name: it must be a safe one
                if (DistributionFilename.problem(name) != null) {
                    throw new AssertionError("properName gave '" + name + "': " + DistributionFilename.problem(name));
                }
            });
        } catch (Throwable t) {
            FuzzFindings.keep(bytes, ".whl");
            throw t;
        }
    }

    private interface Read {
        void run() throws IOException;
    }

    private static void read(Path file, Read read) {
        try {
            read.run();
        } catch (UnsafeWheelException e) {
            if (!e.getMessage().startsWith(NAME + ": ")) {
                throw new AssertionError("the message does not start with the wheel's name: " + e.getMessage(), e);
            }
        } catch (PyBundleException e) {
            // refused with an error pybundle reports
        } catch (IOException e) {
            throw new AssertionError("an IOException reading a local file: " + e, e);
        }
    }

    /** Valid wheels built by the test helpers: pure, with packages and data, non-ASCII names, native. */
    static Stream<TestWheels.Spec> specs() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("pkg/__init__.py", "from .core import f\n");
        files.put("pkg/core.py", "def f():\n    return 'x' * 40\n".repeat(20));
        files.put("pkg/données.py", "VALUE = 1\n");
        files.put("pkg/sub/__init__.py", "");
        files.put("pkg-1.0.data/purelib/extra.py", "X = 2\n");
        files.put("pkg-1.0.data/scripts/run", "#!python\nprint(1)\n");
        Map<String, String> native_ = new LinkedHashMap<>();
        native_.put("pkg/__init__.py", "");
        native_.put("pkg/_speed.cpython-311-x86_64-linux-gnu.so", "\u007fELF");
        return Stream.of(TestWheels.pure("pkg", "1.0"),
                new TestWheels.Spec("pkg", "1.0", "py3-none-any", List.of("dep>=1; python_version>'3.8'"), ">=3.8",
                        files),
                new TestWheels.Spec("pkg", "1.0", "cp311-cp311-manylinux_2_17_x86_64", List.of(), null, native_));
    }
}

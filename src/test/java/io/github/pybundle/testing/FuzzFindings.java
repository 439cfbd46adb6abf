package io.github.pybundle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Keeps the input of a fuzz finding as a plain file, to reduce it into a regression test. */
public final class FuzzFindings {
    private FuzzFindings() {
    }

    /** Writes {@code bytes} into the folder {@code fuzz.findings} names (the build's fuzz execution sets it). */
    public static void keep(byte[] bytes, String suffix) throws IOException {
        String dir = System.getProperty("fuzz.findings");
        if (dir != null) {
            Path d = Files.createDirectories(Path.of(dir));
            Files.write(d.resolve(TestWheels.sha256Hex(bytes).substring(0, 16) + suffix), bytes);
        }
    }
}

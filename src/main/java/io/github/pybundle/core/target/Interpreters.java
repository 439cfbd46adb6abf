package io.github.pybundle.core.target;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds interpreters on this machine: a {@code pythonX.Y} of the target's version (on PATH, else among pyenv's
 * versions) for source builds and verification, or any command on PATH.
 */
public final class Interpreters {
    private Interpreters() {
    }

    /** A local {@code pythonX.Y}, or null when there is none. */
    public static Path find(int major, int minor, Map<String, String> env) {
        String exe = "python" + major + "." + minor;
        List<Path> candidates = new ArrayList<>();
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, exe));
            }
        }
        String pyenv = env.getOrDefault("PYENV_ROOT", System.getProperty("user.home") + "/.pyenv");
        Path versions = Path.of(pyenv, "versions");
        if (Files.isDirectory(versions)) {
            try (Stream<Path> s = Files.list(versions)) {
                s.filter(p -> p.getFileName().toString().startsWith(major + "." + minor + "."))
                        .sorted(Comparator.reverseOrder()).forEach(p -> candidates.add(p.resolve("bin").resolve(exe)));
            } catch (IOException ignored) {
                // no pyenv versions to offer
            }
        }
        for (Path c : candidates) {
            if (Files.isExecutable(c) && reportsVersion(c, major + "." + minor)) {
                return c;
            }
        }
        return null;
    }

    private static boolean reportsVersion(Path python, String expected) {
        try {
            Process p = new ProcessBuilder(python.toString(), "-c",
                    "import sys; print('%d.%d' % sys.version_info[:2])").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && out.equals(expected);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }


    /** An executable named {@code command} on PATH, or null. */
    public static Path onPath(String command, Map<String, String> env) {
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (!dir.isBlank() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}

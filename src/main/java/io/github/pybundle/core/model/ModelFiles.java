package io.github.pybundle.core.model;

import io.github.pybundle.core.InvalidConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files of {@code <models>}: each one as given, each directory's regular files (recursively, sorted by their path
 * inside it, hidden files such as {@code .gitkeep} left out). They are shipped like {@code <spark><files>}, so they
 * are read on the cluster under their file name alone: two with one name are an error.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** Every model file, in order; fails naming a missing path or the two files that share a name. */
    public static List<Path> expand(List<Path> models) throws IOException {
        Map<String, Path> byName = new LinkedHashMap<>();
        for (Path m : models) {
            Path given = m.toAbsolutePath().normalize();
            List<Path> files;
            if (Files.isDirectory(given)) {
                try (Stream<Path> walk = Files.walk(given)) {
                    files = walk.filter(Files::isRegularFile).filter(p -> !hidden(given.relativize(p)))
                            .sorted((a, b) -> given.relativize(a).toString().replace('\\', '/')
                                    .compareTo(given.relativize(b).toString().replace('\\', '/'))).toList();
                }
            } else if (Files.isRegularFile(given)) {
                files = List.of(given);
            } else {
                throw new InvalidConfigurationException("models", m.toString(), "the model " + m
                        + " does not exist", "correct the path in {@models}, or create the file first");
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                Path previous = byName.putIfAbsent(name, f);
                if (previous != null) {
                    throw new InvalidConfigurationException("models", f.toString(), "two models are named " + name
                            + ": " + previous + " and " + f, "the cluster reads each model by its file name alone:"
                            + " rename one of them, or keep one");
                }
            }
        }
        return new ArrayList<>(byName.values());
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}

package io.github.pybundle.core.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Whole directories written by pybundle (an unpacked environment, a staging directory) removed at once. */
public final class FileTrees {
    private FileTrees() {
    }

    /** Deletes {@code dir} and everything under it (symbolic links, not what they point to); nothing if absent. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

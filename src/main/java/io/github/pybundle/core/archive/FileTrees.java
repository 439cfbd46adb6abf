package io.github.pybundle.core.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Files and directories pybundle writes as a whole: a directory removed at once (an unpacked environment, a staging
 * directory), a large file given a second name without copying its bytes.
 */
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

    /**
     * {@code to} as a second name of {@code from}: a hard link (no copy of hundreds of megabytes), else, where links
     * cannot be made (another file system), a copy with the usual mode of an output. {@code to} is replaced. Only safe
     * for files that are replaced by renaming, never written in place, as every output of pybundle is.
     */
    public static void linkOrCopy(Path from, Path to) throws IOException {
        Files.deleteIfExists(to);
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | IOException noLinks) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            AtomicFile.readableByAll(to);
        }
    }
}

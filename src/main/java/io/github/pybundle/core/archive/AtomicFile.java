package io.github.pybundle.core.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file written under a temporary name beside its target and moved into place only when complete, so that a failed
 * build never leaves a half-written output; discarding deletes the temporary file.
 */
public final class AtomicFile {
    /** Fills the temporary file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temp) throws IOException;
    }

    private final Path target;
    private final Path temp;
    private boolean committed;

    /** Writes {@code target} through a temporary file: it appears complete or not at all. */
    public static void write(Path target, Content content) throws IOException {
        AtomicFile file = new AtomicFile(target);
        try {
            content.writeTo(file.temp());
            file.commit();
        } finally {
            file.discard();
        }
    }

    AtomicFile(Path target) throws IOException {
        this.target = target;
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        this.temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        readableByAll(temp);
    }

    /**
     * Opens a temporary file that has just been created, empty, for writing, without truncating it. Not a detail: on
     * ext4 (the default file system of most Linux machines), a file truncated to zero length and then written is
     * flushed to disk when it is closed (its {@code auto_da_alloc} protection for programs that rewrite a file in
     * place), so that closing a 3.1 GB archive written through {@code Files.newOutputStream}, which truncates,
     * blocked for 0.5-1 s. A file written through a temporary file and renamed into place needs no such protection.
     */
    public static OutputStream output(Path temp) throws IOException {
        return Files.newOutputStream(temp, StandardOpenOption.WRITE);
    }

    /** As {@link #output}, a channel for writers that seek back (a zip's local headers). */
    public static SeekableByteChannel channel(Path temp) throws IOException {
        return Files.newByteChannel(temp, StandardOpenOption.WRITE, StandardOpenOption.READ);
    }

    /**
     * Gives a file the usual mode of a build output, rw-r--r--: temporary files are created rw------- whatever the
     * umask, and an output another user of a shared edge node cannot read is useless. No-op where POSIX modes do not
     * exist.
     */
    public static void readableByAll(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Where to write. */
    Path temp() {
        return temp;
    }

    /** Moves the finished file into place, replacing what was there. */
    void commit() throws IOException {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    /** Whether {@link #commit()} happened. */
    boolean committed() {
        return committed;
    }

    /** Deletes the temporary file unless committed. */
    void discard() throws IOException {
        if (!committed) {
            Files.deleteIfExists(temp);
        }
    }
}

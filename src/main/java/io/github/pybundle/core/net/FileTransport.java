package io.github.pybundle.core.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code file:} URLs: a local index (a PEP 503 tree on disk, where each project page is a directory with an
 * {@code index.html}), find-links pages and files. No credentials, no retries: the disk answers or it does not.
 */
final class FileTransport {
    private FileTransport() {
    }

    /** What a {@code file:} URL opens to: the body when found, and its size. */
    record Opened(boolean found, long size, InputStream body) {
    }

    static Opened open(URI uri) throws IOException {
        Path p = Path.of(uri);
        if (Files.isDirectory(p)) {
            p = p.resolve("index.html");
        }
        if (!Files.isRegularFile(p)) {
            return new Opened(false, -1, null);
        }
        return new Opened(true, Files.size(p), Files.newInputStream(p));
    }
}

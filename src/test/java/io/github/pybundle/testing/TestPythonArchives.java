package io.github.pybundle.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Interpreter archives in python-build-standalone's {@code install_only} layout, described inline and written by the
 * test (no binary fixture is committed). The "interpreter" is a copy of {@code /bin/sh} by default: a real ELF
 * executable of this machine that {@code bin/python -c '...'} runs, enough to prove how the environment starts it.
 */
public final class TestPythonArchives {
    private final List<TarArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    /** A {@code python/} tree for Python {@code version} (e.g. 3.8.20), with PYTHON.json saying so. */
    public static TestPythonArchives installOnly(String version) throws IOException {
        String mm = version.replaceAll("^(\\d+\\.\\d+).*", "$1");
        return new TestPythonArchives()
                .directory("python/")
                .directory("python/bin/")
                .file("python/bin/python" + mm, Files.readAllBytes(Path.of("/bin/sh")), 0755)
                .link("python/bin/python3", "python" + mm)
                .file("python/lib/python" + mm + "/os.py", "# the standard library\n", 0644)
                .file("python/PYTHON.json", "{\"version\": \"8\", \"python_version\": \"" + version
                        + "\", \"python_major_minor_version\": \"" + mm + "\"}", 0644);
    }

    public TestPythonArchives directory(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        return add(e, new byte[0]);
    }

    public TestPythonArchives file(String name, String content, int mode) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    public TestPythonArchives file(String name, byte[] content, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL, true);
        e.setMode(0100000 | mode);
        e.setSize(content.length);
        return add(e, content);
    }

    public TestPythonArchives link(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
        e.setLinkName(target);
        return add(e, new byte[0]);
    }

    public TestPythonArchives hardLink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
        e.setLinkName(target);
        return add(e, new byte[0]);
    }

    public TestPythonArchives device(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_CHR, true);
        return add(e, new byte[0]);
    }

    /** The entries without the one named {@code name}. */
    public TestPythonArchives without(String name) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).getName().equals(name)) {
                entries.remove(i);
                contents.remove(i);
            }
        }
        return this;
    }

    private TestPythonArchives add(TarArchiveEntry e, byte[] content) {
        entries.add(e);
        contents.add(content);
        return this;
    }

    /** The archive's bytes ({@code .tar.gz}). */
    public byte[] bytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out);
        return out.toByteArray();
    }

    /** Writes the archive to {@code file}. */
    public Path writeTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out);
        }
        return file;
    }

    private void write(OutputStream raw) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(raw))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (int i = 0; i < entries.size(); i++) {
                tar.putArchiveEntry(entries.get(i));
                tar.write(contents.get(i));
                tar.closeArchiveEntry();
            }
        }
    }
}

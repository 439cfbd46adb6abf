package io.github.pybundle.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small Python source trees for tests. */
public final class SourceTrees {
    private SourceTrees() {
    }

    /** Writes {@code content} to {@code root/relative}, creating directories. */
    public static Path write(Path root, String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    /** A typical project: a package with a subpackage, a data file, a module, a main script and some clutter. */
    public static Path sample(Path root) throws IOException {
        write(root, "src/main/python/app/__init__.py", "VERSION = '1'\n");
        write(root, "src/main/python/app/text.py", "def words(s):\n    return s.split()\n");
        write(root, "src/main/python/app/sub/__init__.py", "");
        write(root, "src/main/python/app/data/stop-words.txt", "a\nthe\n");
        write(root, "src/main/python/helpers.py", "X = 1\n");
        write(root, "src/main/python/main.py", "import app\nprint('main', app.VERSION)\n");
        write(root, "src/main/python/app/__pycache__/text.cpython-311.pyc", "junk");
        write(root, "src/main/python/app/old.pyc", "junk");
        write(root, "src/main/python/.hidden/x.py", "junk");
        write(root, "src/main/python/app/text.py~", "backup");
        return root.resolve("src/main/python");
    }
}

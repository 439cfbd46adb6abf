package io.github.pybundle.core.bundle;

import io.github.pybundle.core.archive.AtomicFile;
import io.github.pybundle.core.source.PythonSourceTree;
import io.github.pybundle.core.spec.dist.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * What a bundle was made from — the lock, the project's sources and main script, and the settings that shape the
 * outputs — as one digest. When it matches the previous build's and the outputs are still there, the bundle is
 * reused instead of rebuilt.
 */
public final class BundleFingerprint {
    private static final String FILE = "bundle.inputs.sha256";

    private BundleFingerprint() {
    }

    /** The digest of everything the outputs depend on. */
    public static String of(PythonSourceTree sources, Path mainScript, Path lockFile, List<String> settings)
            throws IOException {
        MessageDigest sha = Digests.sha256();
        for (PythonSourceTree.SourceFile f : sources.files()) {
            sha.update((f.archivePath() + "\0" + Digests.sha256Hex(f.file()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        sha.update(("main\0" + Digests.sha256Hex(mainScript) + "\n").getBytes(StandardCharsets.UTF_8));
        sha.update(("lock\0" + (lockFile != null && Files.isRegularFile(lockFile) ? Digests.sha256Hex(lockFile)
                : "-") + "\n").getBytes(StandardCharsets.UTF_8));
        for (String s : settings) {
            sha.update(("setting\0" + s + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Whether {@code stateDir} records {@code digest} and every output exists. */
    public static boolean unchanged(Path stateDir, String digest, List<Path> outputs) throws IOException {
        Path f = stateDir.resolve(FILE);
        if (!Files.isRegularFile(f) || !Files.readString(f, StandardCharsets.UTF_8).strip().equals(digest)) {
            return false;
        }
        return outputs.stream().allMatch(Files::isRegularFile);
    }

    /** Whether {@code stateDir} records a build at all (an application directory some build finished in). */
    public static boolean recorded(Path stateDir) {
        return Files.isRegularFile(stateDir.resolve(FILE));
    }

    /** Records the digest after a successful build. */
    public static void record(Path stateDir, String digest) throws IOException {
        AtomicFile.write(stateDir.resolve(FILE), temp -> Files.writeString(temp, digest + "\n",
                StandardCharsets.UTF_8));
    }
}

package io.github.pybundle.core.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle's outputs kept by its key: put back whole with their modes, refused when changed or when they escape. */
class BundleSnapshotsTest {
    private static final String KEY = "b".repeat(64);

    @TempDir
    Path dir;

    private List<Path> outputs(Path out) throws Exception {
        Path script = Files.writeString(Files.createDirectories(out.resolve("pybundle")).resolve("spark-submit.sh"),
                "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return List.of(Files.writeString(out.resolve("app-pyfiles.zip"), "zip"), script);
    }

    // Snapshots holding the outputs of a build into out, which is then cleaned.
    private BundleSnapshots stored(Path out) throws Exception {
        BundleSnapshots snapshots = new BundleSnapshots(dir.resolve("cache"));
        assertTrue(snapshots.store(KEY, out, outputs(out)));
        deleteTree(out);
        return snapshots;
    }

    @Test
    void storedOutputsComeBackWhole_withTheirModes() throws Exception {
        BundleSnapshots snapshots = new BundleSnapshots(dir.resolve("cache"));
        Path out = dir.resolve("target");
        assertNull(snapshots.restore(KEY, out, List.of()), "nothing stored yet");
        assertTrue(snapshots.store(KEY, out, outputs(out)));
        deleteTree(out);

        List<Path> back = snapshots.restore(KEY, out, List.of());
        assertEquals(List.of(out.resolve("app-pyfiles.zip"), out.resolve("pybundle/spark-submit.sh")), back);
        assertEquals("zip", Files.readString(out.resolve("app-pyfiles.zip")));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                out.resolve("pybundle/spark-submit.sh"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                out.resolve("app-pyfiles.zip"))));
    }

    @Test
    void aManifestNamingAPathOutsideTheOutputDirectory_isDroppedAndNothingWritten() throws Exception {
        BundleSnapshots snapshots = new BundleSnapshots(dir.resolve("cache"));
        Path out = dir.resolve("project/target");
        assertTrue(snapshots.store(KEY, out, outputs(out)));
        deleteTree(out);
        Path entry = dir.resolve("cache/bundles/v1/" + KEY);
        // An attacker who can write the cache points an entry at a file beside the project.
        Files.writeString(entry.resolve("files/evil.sh"), "rm -rf ~\n");
        for (String name : List.of("../evil.sh", "/tmp/evil.sh", "pybundle/../../evil.sh")) {
            Files.writeString(entry.resolve("manifest"), name + "\t9\t" + Files.getLastModifiedTime(entry.resolve(
                    "files/evil.sh")).toMillis() + "\tx\n");
            assertNull(snapshots.restore(KEY, out, List.of()), name);
            assertFalse(Files.exists(dir.resolve("project/evil.sh")), name);
            assertFalse(Files.exists(entry), "the entry is dropped: " + name);
            Files.createDirectories(entry.resolve("files"));
            Files.writeString(entry.resolve("files/evil.sh"), "rm -rf ~\n");
        }
        assertFalse(Files.exists(Path.of("/tmp/evil.sh")));
    }

    @Test
    void anOutputChangedInTheCache_dropsTheEntry() throws Exception {
        BundleSnapshots snapshots = stored(dir.resolve("target"));
        Path out = dir.resolve("target");
        Files.writeString(dir.resolve("cache/bundles/v1/" + KEY + "/files/app-pyfiles.zip"), "other bytes");
        assertNull(snapshots.restore(KEY, out, List.of()));
        assertFalse(Files.exists(out.resolve("app-pyfiles.zip")), "nothing put back");
        assertFalse(Files.exists(dir.resolve("cache/bundles/v1/" + KEY)));
    }

    @Test
    void onlyTheMostRecentlyUsedAreKept() throws Exception {
        BundleSnapshots snapshots = new BundleSnapshots(dir.resolve("cache"));
        Path out = dir.resolve("target");
        List<Path> files = outputs(out);
        for (int i = 0; i < BundleSnapshots.KEEP + 2; i++) {
            assertTrue(snapshots.store(Integer.toString(i).repeat(64).substring(0, 64), out, files));
            Thread.sleep(20); // distinct modification times
        }
        try (Stream<Path> s = Files.list(dir.resolve("cache/bundles/v1"))) {
            assertEquals(BundleSnapshots.KEEP, s.count());
        }
    }

    private static void deleteTree(Path p) throws Exception {
        io.github.pybundle.core.archive.FileTrees.delete(p);
    }

    @Test
    void aKeptBundleWithoutARequiredOutput_isNotPutBack() throws Exception {
        BundleSnapshots snapshots = stored(dir.resolve("target"));
        Path out = dir.resolve("target");
        assertNull(snapshots.restore(KEY, out, List.of("app-pyfiles.zip", "app-bom.json")));
        assertFalse(Files.exists(out.resolve("app-pyfiles.zip")), "nothing put back");
        assertEquals(2, snapshots.restore(KEY, out, List.of("app-pyfiles.zip")).size());
    }

    @Test
    void aSymbolicLinkPlantedInAnEntry_isNotFollowed_theEntryIsDropped() throws Exception {
        BundleSnapshots snapshots = stored(dir.resolve("target"));
        Path out = dir.resolve("target");
        Path secret = Files.writeString(dir.resolve("secret.txt"), "private");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path kept = dir.resolve("cache/bundles/v1/" + KEY + "/files/app-pyfiles.zip");
        Files.delete(kept);
        Files.createSymbolicLink(kept, secret);
        // The attacker also rewrites the manifest to match the target's size and time.
        Path manifest = dir.resolve("cache/bundles/v1/" + KEY + "/manifest");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("app-pyfiles.zip\t\\d+\t\\d+",
                "app-pyfiles.zip\t" + Files.size(secret) + "\t" + Files.getLastModifiedTime(secret).toMillis()));
        assertNull(snapshots.restore(KEY, out, List.of()));
        assertFalse(Files.exists(out.resolve("app-pyfiles.zip")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)),
                "the link's target keeps its mode");
    }
}

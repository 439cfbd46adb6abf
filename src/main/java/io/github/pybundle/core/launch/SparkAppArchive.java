package io.github.pybundle.core.launch;

import io.github.pybundle.core.archive.ArchiveContent;
import io.github.pybundle.core.archive.ArchivePlan;
import io.github.pybundle.core.archive.ReproducibleTarWriter;
import io.github.pybundle.core.spec.dist.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runnable application as one file, {@code {finalName}-spark-app.tar.gz}: the application directory (the
 * launchers, the main script, the py-files zip, the environment archive, {@code jars/}, {@code files/}) under one root
 * directory, {@code {finalName}/}. Every launcher names the others relative to its own directory, so the unpacked
 * copy runs wherever it is unpacked.
 *
 * <p>Reproducible like the other archives: entries sorted, one time, uid and gid 0, modes 0644 and 0755 for the
 * launcher. Files that are compressed already (zips, JARs, wheels, the environment archive) are stored in gzip
 * members of stored blocks, which costs a copy instead of a deflate pass that would save next to nothing; the
 * descriptors and scripts are deflated.
 */
public final class SparkAppArchive {
    private static final int FILE_MODE = 0100644;
    private static final int EXECUTABLE_MODE = 0100755;
    private static final List<String> COMPRESSED = List.of(".zip", ".jar", ".whl", ".gz", ".tgz", ".bz2", ".xz",
            ".zst", ".egg", ".war", ".parquet");

    private SparkAppArchive() {
    }

    /** The archive's file name: {@code {finalName}-spark-app.tar.gz}. */
    public static String fileName(String finalName) {
        return finalName + "-spark-app.tar.gz";
    }

    /** Whether a file of this name is compressed already, so that deflating it again would save nothing. */
    static boolean compressed(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return COMPRESSED.stream().anyMatch(n::endsWith);
    }

    /**
     * Writes the archive.
     *
     * @param appDirectory the application directory
     * @param files the files of the application, relative to {@code appDirectory} with '/' separators
     * @param root the name of the root directory in the archive (the final name)
     * @param target the archive's path
     * @param timestamp the time of every entry
     * @return {@code target}
     */
    public static Path write(Path appDirectory, List<String> files, String root, Path target, Instant timestamp)
            throws IOException {
        ArchivePlan plan = new ArchivePlan(new ArchivePlan.Conflicts() {
            @Override
            public RuntimeException differentFiles(String path, String origin, String earlierOrigin) {
                return new IllegalArgumentException("two application files at " + path);
            }

            @Override
            public void caseOnly(String path, String origin, String earlier, String earlierOrigin) {
                // the application directory is one directory of one file system: names are as they are there
            }
        });
        for (String f : files) {
            Path file = appDirectory.resolve(f);
            ArchiveContent content = compressed(f) ? ArchiveContent.compressedFile(file) : ArchiveContent.file(file);
            plan.add(root + "/" + f, content, f.equals(SparkSubmitScript.FILE_NAME) ? EXECUTABLE_MODE : FILE_MODE,
                    "the application");
        }
        try (ReproducibleTarWriter tar = new ReproducibleTarWriter(target, timestamp, false)) {
            plan.write(tar);
            tar.commit();
        }
        return target;
    }

    /**
     * The digest of everything {@link #write} makes the archive from: the generator, the root, the time, and each
     * file's name, mode and content ({@code knownSha256} gives the digests already known, by file, such as the
     * environment archive's; the others are hashed). The same key means the same archive bytes.
     */
    public static String key(String generator, Path appDirectory, List<String> files, String root, Instant timestamp,
                             Map<String, String> knownSha256) throws IOException {
        StringBuilder sb = new StringBuilder("pybundle application archive\ngenerator=").append(generator)
                .append("\nroot=").append(root).append("\ntimestamp=").append(timestamp.getEpochSecond()).append('\n');
        for (String f : files.stream().sorted().toList()) {
            String sha = knownSha256.get(f);
            sb.append(f).append(' ').append(f.equals(SparkSubmitScript.FILE_NAME) ? "755" : "644").append(' ')
                    .append(sha != null ? sha : Digests.sha256Hex(appDirectory.resolve(f))).append('\n');
        }
        return HexFormat.of().formatHex(Digests.sha256().digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }
}

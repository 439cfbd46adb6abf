package io.github.pybundle.core.project;

import io.github.pybundle.core.archive.ReproducibleZipWriter;
import io.github.pybundle.core.source.PythonSourceTree;
import io.github.pybundle.core.spec.metadata.CoreMetadata;
import io.github.pybundle.core.spec.metadata.RecordFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Builds the PEP 427 wheel of the project's own pure-Python code: {@code {name}-{version}-py3-none-any.whl}.
 *
 * <p>Entries are written sorted, with the {@code .dist-info} directory last and {@code RECORD} as the final entry, so
 * that readers which stream the archive meet the metadata after the files it describes (as the wheel spec
 * recommends). Every file's hash is computed while it is written: the sources are read once.
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/binary-distribution-format/">Binary distribution format</a>
 */
public final class ProjectWheelBuilder {
    /** The only tag a project wheel gets: pure Python 3 code. */
    public static final String TAG = "py3-none-any";

    private final String generator;

    /** @param generator the {@code Generator} line of WHEEL, e.g. {@code pybundle 0.1.0} */
    public ProjectWheelBuilder(String generator) {
        this.generator = generator;
    }

    /** The file name of the wheel for {@code metadata}. */
    public static String fileName(CoreMetadata metadata) {
        return metadata.name().escaped() + "-" + metadata.version() + "-" + TAG + ".whl";
    }

    /**
     * Writes the wheel into {@code outputDirectory} and returns its path.
     */
    public Path build(PythonSourceTree sources, CoreMetadata metadata, Path outputDirectory, Instant timestamp)
            throws IOException {
        Path target = outputDirectory.resolve(fileName(metadata));
        String distInfo = metadata.name().escaped() + "-" + metadata.version() + ".dist-info/";
        RecordFile record = new RecordFile();
        try (ReproducibleZipWriter zip = new ReproducibleZipWriter(target, timestamp)) {
            for (PythonSourceTree.SourceFile f : sources.files()) {
                record.add(f.archivePath(), zip.addFile(f.archivePath(), f.file(), ReproducibleZipWriter.FILE_MODE));
            }
            String metadataPath = distInfo + "METADATA";
            record.add(metadataPath, zip.addBytes(metadataPath, metadata.toBytes(), ReproducibleZipWriter.FILE_MODE));
            String wheelPath = distInfo + "WHEEL";
            record.add(wheelPath, zip.addBytes(wheelPath, wheelFile(), ReproducibleZipWriter.FILE_MODE));
            String recordPath = distInfo + "RECORD";
            zip.addBytes(recordPath, record.toBytes(recordPath), ReproducibleZipWriter.FILE_MODE);
            zip.commit();
        }
        return target;
    }

    private byte[] wheelFile() {
        String text = "Wheel-Version: 1.0\n"
                + "Generator: " + generator + "\n"
                + "Root-Is-Purelib: true\n"
                + "Tag: " + TAG + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

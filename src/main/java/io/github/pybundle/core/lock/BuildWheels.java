package io.github.pybundle.core.lock;

import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.metadata.CoreMetadataFile;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep508.Requirement;
import io.github.pybundle.core.wheel.WheelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wheels the build depends on (Maven {@code whl} dependencies, which the build tool resolved, not pybundle's
 * resolver) as entries of the lock, so that the lock names every package of the bundle.
 *
 * <p>PEP 751 says a relative {@code path} is relative to the lock file. A path into the user's Maven repository
 * ({@code ~/.m2/...}) would hold the user's home and differ between machines, and a repository layout path
 * ({@code com/example/x/1.0/x-1.0.whl}) would be read against the lock's directory, where nothing is. So the entry
 * names pybundle's copy of the wheel in the build directory ({@code target/pybundle/maven-wheels/<PEP 427 name>}),
 * relative to the lock file: the same on every machine for the same project, and a real file once the project is
 * built. The build tool's coordinates are recorded under {@code [packages.tool.pybundle]}, which installers ignore.
 */
public final class BuildWheels {
    /**
     * A wheel the build depends on.
     *
     * @param file the wheel (for the lock: pybundle's copy, under its PEP 427 name)
     * @param artifact the build tool's coordinates of it, e.g. {@code com.example:helpers:whl:1.0}
     */
    public record Wheel(Path file, String artifact) {
    }

    private BuildWheels() {
    }

    /**
     * The lock entries of {@code wheels}: name and version from each wheel's METADATA, the path relative to the lock
     * file's directory, the size and sha256 of the file, and the packages of the lock (or of {@code wheels}) it
     * depends on.
     *
     * @param lockedNames the normalised names of the lock's resolved packages
     */
    public static List<LockedPackage> entries(List<Wheel> wheels, Path lockFile, Set<String> lockedNames)
            throws IOException {
        List<CoreMetadataFile> metadata = new ArrayList<>();
        Set<String> names = new HashSet<>(lockedNames);
        for (Wheel w : wheels) {
            CoreMetadataFile md = CoreMetadataFile.parse(WheelSource.readMetadata(w.file()), w.file().getFileName()
                    + "!METADATA");
            metadata.add(md);
            names.add(ProjectName.normalize(md.name()));
        }
        List<LockedPackage> out = new ArrayList<>();
        Path base = lockFile.toAbsolutePath().getParent();
        for (int i = 0; i < wheels.size(); i++) {
            Wheel w = wheels.get(i);
            CoreMetadataFile md = metadata.get(i);
            String name = ProjectName.normalize(md.name());
            List<String> deps = md.requiresDist().stream().filter(r -> r.marker() == null
                    || !r.marker().mentionsExtra()).map(Requirement::normalizedName).filter(n -> !n.equals(name)
                    && names.contains(n)).distinct().sorted().toList();
            String path = base.relativize(w.file().toAbsolutePath()).toString().replace('\\', '/');
            out.add(new LockedPackage(name, md.version().toString(), null, w.file().getFileName().toString(), null,
                    path, Files.size(w.file()), Digests.sha256Hex(w.file()), deps, false, Map.of(), w.artifact()));
        }
        return out;
    }
}

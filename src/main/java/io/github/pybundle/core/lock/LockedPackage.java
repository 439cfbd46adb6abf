package io.github.pybundle.core.lock;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One package of a lock: the version and the one wheel chosen for the target.
 *
 * @param name the normalised name
 * @param version the version
 * @param index the index URL it came from, or null (find-links)
 * @param wheelName the wheel file name
 * @param url the wheel's URL (no user info), or null when {@code path} is set
 * @param path the wheel's path relative to the lock file (local find-links), or null
 * @param size the wheel's size in bytes, or -1 when unknown
 * @param sha256 the wheel's sha256 (hex)
 * @param dependencies the names of the locked packages it depends on
 * @param sdist whether the file is a source distribution, built into a pure wheel when bundling
 *     ({@code <allowSourceBuilds>}); {@code wheelName} is then the sdist's file name
 * @param otherHashes digests of the file in other algorithms ({@code sha512} → hex), recorded in hash-checking mode
 *     when the declared hashes use them; possibly empty
 * @param artifact for a wheel the build depends on rather than one resolved from an index, the build tool's
 *     coordinates of it ({@code [packages.tool.pybundle] artifact}); null for resolved packages
 */
public record LockedPackage(String name, String version, String index, String wheelName, String url, String path,
                            long size, String sha256, List<String> dependencies, boolean sdist,
                            Map<String, String> otherHashes, String artifact) {
    public LockedPackage {
        dependencies = List.copyOf(dependencies);
        otherHashes = java.util.Collections.unmodifiableMap(new TreeMap<>(otherHashes));
    }

    /** A resolved package (not a build dependency). */
    public LockedPackage(String name, String version, String index, String wheelName, String url, String path,
                         long size, String sha256, List<String> dependencies, boolean sdist,
                         Map<String, String> otherHashes) {
        this(name, version, index, wheelName, url, path, size, sha256, dependencies, sdist, otherHashes, null);
    }

    /** Whether the build tool supplies the file (a wheel the build depends on), so that it is never downloaded. */
    public boolean fromBuild() {
        return artifact != null;
    }

    /** A package with its sha256 only. */
    public LockedPackage(String name, String version, String index, String wheelName, String url, String path,
                         long size, String sha256, List<String> dependencies, boolean sdist) {
        this(name, version, index, wheelName, url, path, size, sha256, dependencies, sdist, Map.of());
    }

    /** Every recorded digest: {@code sha256} and the others, algorithm → hex. */
    public Map<String, String> hashes() {
        Map<String, String> all = new TreeMap<>(otherHashes);
        all.put("sha256", sha256);
        return all;
    }
}

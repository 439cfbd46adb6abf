package io.github.pybundle.core.lock;

import java.util.List;

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
 */
public record LockedPackage(String name, String version, String index, String wheelName, String url, String path,
                            long size, String sha256, List<String> dependencies, boolean sdist) {
    public LockedPackage {
        dependencies = List.copyOf(dependencies);
    }
}

package io.github.pybundle.core.index;

import java.net.URI;
import java.util.Map;

/**
 * One file an index offers for a project.
 *
 * @param filename the file name (a wheel or an sdist)
 * @param url where to download it, without user info or fragment
 * @param hashes known digests by algorithm ({@code sha256} → hex), possibly empty
 * @param requiresPython the {@code requires-python} the index states, or null
 * @param yanked the yank reason ({@code ""} when yanked without one), or null when not yanked (PEP 592)
 * @param metadataHashes the digests of the PEP 658 metadata file (possibly empty), or null when the index serves none
 * @param size the size in bytes (PEP 700), or -1
 * @param sourceId the id of the index or find-links source it came from
 */
public record DistributionFile(String filename, URI url, Map<String, String> hashes, String requiresPython,
                               String yanked, Map<String, String> metadataHashes, long size, String sourceId) {
    public DistributionFile {
        hashes = Map.copyOf(hashes);
        metadataHashes = metadataHashes == null ? null : Map.copyOf(metadataHashes);
    }

    /** Whether the file is a wheel. */
    public boolean isWheel() {
        return filename.endsWith(".whl");
    }

    /** Whether the index withdrew it (it may still be used when pinned with {@code ==}, per PEP 592). */
    public boolean isYanked() {
        return yanked != null;
    }

    /** The sha256 the index states, or null. */
    public String sha256() {
        return hashes.get("sha256");
    }

    /** The URL of the PEP 658 metadata file, or null when there is none. */
    public URI metadataUrl() {
        return metadataHashes == null ? null : URI.create(url.toString() + ".metadata");
    }
}

package io.github.pybundle.core.spec.metadata;

import java.util.Base64;

/**
 * The sha256 and size of an entry's uncompressed content, computed while it was written.
 *
 * @param sha256 the 32-byte digest
 * @param size the uncompressed size in bytes
 */
public record EntryDigest(byte[] sha256, long size) {
    /** The digest as the wheel RECORD file writes it: {@code sha256=} and URL-safe base64 without padding. */
    public String recordHash() {
        return "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256);
    }
}

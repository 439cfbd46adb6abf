package io.github.pybundle.core.spec.dist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The hash algorithms pybundle knows and the exact form of their hex digests. A digest from outside (an index page's
 * {@code #sha256=} fragment, a lock, a requirements file) is used for a file name in the cache only after
 * {@link #isHex} accepted it.
 */
public final class Digests {
    /** Hex length per algorithm (lower-case names, as hashlib spells them). */
    public static final Map<String, Integer> HEX_LENGTH = Map.of("md5", 32, "sha1", 40, "sha224", 56, "sha256", 64,
            "sha384", 96, "sha512", 128);

    private Digests() {
    }

    /** Whether {@code hex} is a digest of {@code algorithm}: a known algorithm and exactly its length of hex digits. */
    public static boolean isHex(String algorithm, String hex) {
        Integer n = algorithm == null ? null : HEX_LENGTH.get(algorithm.toLowerCase(Locale.ROOT));
        if (n == null || hex == null || hex.length() != n) {
            return false;
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code hex} is a sha256 digest. */
    public static boolean isSha256(String hex) {
        return isHex("sha256", hex);
    }

    /** The sha256 of a file, hex. */
    public static String sha256Hex(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** A new SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

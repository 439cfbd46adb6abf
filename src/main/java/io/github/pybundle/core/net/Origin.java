package io.github.pybundle.core.net;

import java.net.URI;
import java.util.Locale;

/**
 * The origin of a URL as browsers and pip compare them: scheme, host and port (the scheme's default port when none is
 * written). Credentials are bound to origins: pybundle sends an index's password only to its own origin.
 *
 * @param scheme lower-case scheme
 * @param host lower-case host, without brackets for IPv6
 * @param port the port, the scheme's default when the URL gives none
 */
public record Origin(String scheme, String host, int port) {
    /** The origin of {@code uri}; null for URLs without a host (e.g. {@code file:}). */
    public static Origin of(URI uri) {
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            return null;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", "");
        int port = uri.getPort() != -1 ? uri.getPort() : switch (scheme) {
            case "https" -> 443;
            case "http" -> 80;
            default -> -1;
        };
        return new Origin(scheme, host, port);
    }

    /** Whether two URLs have the same origin (false when either has none). */
    public static boolean same(URI a, URI b) {
        Origin o = of(a);
        return o != null && o.equals(of(b));
    }

    /** {@code https://host:port}. */
    @Override
    public String toString() {
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

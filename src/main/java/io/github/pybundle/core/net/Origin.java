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
        if (uri == null || uri.getScheme() == null || uri.getRawAuthority() == null) {
            return null;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "https" -> 443;
            case "http" -> 80;
            default -> -1;
        };
        if (uri.getHost() != null) {
            String host = uri.getHost().toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", "");
            return new Origin(scheme, host, uri.getPort() != -1 ? uri.getPort() : defaultPort);
        }
        // A host java.net.URI does not parse as a server name (an underscore: nexus_repo.corp): from the authority.
        String authority = uri.getRawAuthority();
        authority = authority.substring(authority.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        int colon = authority.lastIndexOf(':');
        if (colon > authority.lastIndexOf(']') && authority.substring(colon + 1).matches("\\d{1,5}")) {
            return new Origin(scheme, authority.substring(0, colon).replaceAll("^\\[|\\]$", ""),
                    Integer.parseInt(authority.substring(colon + 1)));
        }
        return authority.isEmpty() ? null : new Origin(scheme, authority.replaceAll("^\\[|\\]$", ""), defaultPort);
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

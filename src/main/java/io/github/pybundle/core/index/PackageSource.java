package io.github.pybundle.core.index;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.net.Credentials;
import io.github.pybundle.core.net.Origin;
import io.github.pybundle.core.net.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where distributions come from: a simple repository API index (PEP 503/691), or a find-links location (a local
 * directory or a flat HTML page of links).
 *
 * @param id the id that binds credentials ({@code <server>} in settings.xml) and pins; shown in messages
 * @param url the index's base URL (ending in '/') or the find-links location; never carries user info
 * @param kind index or find-links
 * @param credentials credentials, or null
 * @param credentialOrigins further origins (besides the source's own) that may receive the credentials, e.g. a
 *     separate file host the index links to; empty by default
 */
public record PackageSource(String id, URI url, Kind kind, Credentials credentials, List<Origin> credentialOrigins) {
    public PackageSource {
        credentialOrigins = List.copyOf(credentialOrigins);
    }

    public PackageSource(String id, URI url, Kind kind, Credentials credentials) {
        this(id, url, kind, credentials, List.of());
    }

    /** What kind of source. */
    public enum Kind { INDEX, FIND_LINKS }

    /** The public index, used when nothing else is configured. */
    public static final String DEFAULT_INDEX = "https://pypi.org/simple/";

    /**
     * A source from a URL or local path as the user wrote it; user info in the URL becomes credentials.
     *
     * @param setting the pom element that holds it, for messages
     * @throws InvalidConfigurationException when the URL is malformed
     */
    public static PackageSource of(String id, String location, Kind kind, String setting) {
        String loc = location.strip();
        URI uri;
        try {
            uri = loc.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") ? new URI(loc) : Path.of(loc).toAbsolutePath().toUri();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new InvalidConfigurationException(setting, Secrets.mask(loc), "'" + Secrets.mask(loc)
                    + "' is not a valid URL: " + Secrets.mask(e.getMessage()), "write a URL such as"
                    + " https://nexus.example.com/repository/pypi/simple/");
        }
        Credentials credentials = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            credentials = new Credentials(parts[0], parts.length > 1 ? parts[1] : "");
            try {
                uri = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                        uri.getFragment());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        if (kind == Kind.INDEX && !uri.getPath().endsWith("/")) {
            uri = uri.resolve(uri.getPath() + "/");
        }
        return new PackageSource(id, uri, kind, credentials);
    }

    /** This source with credentials (from settings.xml), unless the URL already carried some. */
    public PackageSource withCredentials(Credentials c) {
        return credentials != null || c == null ? this : new PackageSource(id, url, kind, c, credentialOrigins);
    }

    /**
     * This source, whose credentials may also go to the given URLs' origins ({@code <credentialsFor>}).
     *
     * @param setting the pom element that lists them, for messages
     * @throws InvalidConfigurationException when one is not an http(s) URL
     */
    public PackageSource withCredentialOrigins(List<String> urls, String setting) {
        List<Origin> origins = new ArrayList<>(credentialOrigins);
        for (String u : urls) {
            Origin o;
            try {
                o = Origin.of(new URI(u.strip()));
            } catch (URISyntaxException e) {
                o = null;
            }
            if (o == null || !(o.scheme().equals("https") || o.scheme().equals("http"))) {
                throw new InvalidConfigurationException(setting, u, "'" + u + "' is not an http(s) URL",
                        "write the origin that may receive this index's credentials, e.g. https://files.example.com");
            }
            origins.add(o);
        }
        return new PackageSource(id, url, kind, credentials, origins);
    }

    /**
     * The credentials to send with a request to {@code target}: this source's, when {@code target} has the source's
     * own origin or one listed in {@link #credentialOrigins()}; else none. A page may link to any host, and a
     * password must never travel to a host the user did not name (as pip: credentials go to their index only).
     */
    public Credentials credentialsFor(URI target) {
        if (credentials == null) {
            return null;
        }
        Origin o = Origin.of(target);
        return o != null && (o.equals(Origin.of(url)) || credentialOrigins.contains(o)) ? credentials : null;
    }

    /** The URL of a project's page on this index: {@code <url>/<normalized-name>/}. */
    public URI projectUrl(String normalizedName) {
        return url.resolve(normalizedName + "/");
    }

    /** For messages: id and URL. */
    @Override
    public String toString() {
        return id + " (" + url + ")";
    }
}

package io.github.pybundle.core.net;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password for an index. {@link #toString()} never shows the password.
 *
 * @param username the user name
 * @param password the password or token; never logged
 */
public record Credentials(String username, String password) {
    /** The {@code Authorization} header value for HTTP Basic authentication. */
    public String basicAuthorization() {
        String pair = username + ":" + (password == null ? "" : password);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code user:****}. */
    @Override
    public String toString() {
        return username + ":****";
    }
}

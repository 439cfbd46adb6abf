package io.github.pybundle.core.net;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An HTTP proxy as Maven's settings.xml describes it.
 *
 * @param protocol the protocol it serves ({@code http} or {@code https})
 * @param host the proxy host
 * @param port the proxy port
 * @param credentials proxy credentials, or null
 * @param nonProxyHosts hosts reached directly: {@code |}-separated patterns with {@code *} wildcards
 */
public record ProxySpec(String protocol, String host, int port, Credentials credentials, String nonProxyHosts) {
    /** Whether requests to {@code targetHost} bypass this proxy. */
    public boolean bypasses(String targetHost) {
        if (nonProxyHosts == null || nonProxyHosts.isBlank()) {
            return false;
        }
        String h = targetHost.toLowerCase(Locale.ROOT);
        for (String pattern : nonProxyHosts.split("[|,]")) {
            String p = pattern.strip().toLowerCase(Locale.ROOT);
            if (!p.isEmpty() && Pattern.matches(("\\Q" + p + "\\E").replace("*", "\\E.*\\Q"), h)) {
                return true;
            }
        }
        return false;
    }

    /** The first proxy for {@code scheme} that does not bypass {@code host}, or null. */
    public static ProxySpec select(List<ProxySpec> proxies, String scheme, String host) {
        for (ProxySpec p : proxies) {
            if (p.protocol().equalsIgnoreCase(scheme) && !p.bypasses(host)) {
                return p;
            }
        }
        return null;
    }
}

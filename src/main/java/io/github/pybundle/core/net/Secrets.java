package io.github.pybundle.core.net;

import java.net.URI;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Removes secrets from text shown to users: passwords in URLs' user info, and known passwords anywhere. */
public final class Secrets {
    private static final Pattern USERINFO = Pattern.compile("(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?<user>[^:@/\\s]*):(?<pw>[^@/\\s]*)@");

    private Secrets() {
    }

    /** A URL for display: {@code https://user:****@host/path}. */
    public static String mask(URI uri) {
        return mask(uri.toString());
    }

    /** Masks every {@code scheme://user:password@} in {@code text}. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = USERINFO.matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + ":****@"));
    }

    /** Masks URLs' user info and every occurrence of the given secrets (passwords, tokens). */
    public static String mask(String text, Collection<String> secrets) {
        String out = mask(text);
        if (out != null) {
            for (String s : secrets) {
                if (s != null && s.length() >= 3) {
                    out = out.replace(s, "****");
                }
            }
        }
        return out;
    }
}

package io.github.pybundle.core.spec.pep440;

import io.github.pybundle.core.spec.text.PyText;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version: parsed leniently as the specification allows, printed in its normalised form, and totally
 * ordered.
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/version-specifiers/">Version specifiers</a>
 */
public final class Version implements Comparable<Version> {
    /*
     * The grammar of the specification's appendix, with every permitted spelling that normalisation maps:
     *   [v] [N!] N(.N)* [{a|b|rc}N] [.postN] [.devN] [+local]
     * Separators before pre/post/dev may be '.', '-', '_' or nothing; the numbers of pre/post/dev may be omitted (0);
     * "-N" alone is an implicit post-release. Whitespace around the version is ignored.
     */
    private static final Pattern PATTERN = Pattern.compile(
            "v?"
                    + "(?:(?<epoch>[0-9]+)!)?"
                    + "(?<release>[0-9]+(?:\\.[0-9]+)*)"
                    + "(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?"
                    + "(?<post>-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?"
                    + "(?<dev>[-_.]?dev[-_.]?(?<devN>[0-9]+)?)?"
                    + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
            Pattern.CASE_INSENSITIVE);

    /** Pre-release phases in order; index is the sort rank. */
    public enum Phase {
        A("a"), B("b"), RC("rc");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        /** The normalised spelling. */
        public String label() {
            return label;
        }
    }

    private final BigInteger epoch;
    private final List<BigInteger> release;
    private final Phase prePhase; // null when not a pre-release
    private final BigInteger preNumber;
    private final BigInteger post; // null when not a post-release
    private final BigInteger dev; // null when not a dev release
    private final List<Object> local; // BigInteger or lower-case String segments; empty when none
    private final String normalized;

    private Version(BigInteger epoch, List<BigInteger> release, Phase prePhase, BigInteger preNumber,
                    BigInteger post, BigInteger dev, List<Object> local) {
        this.epoch = epoch;
        this.release = List.copyOf(release);
        this.prePhase = prePhase;
        this.preNumber = preNumber;
        this.post = post;
        this.dev = dev;
        this.local = List.copyOf(local);
        this.normalized = render(true);
    }

    /**
     * Parses a version in any spelling the specification accepts.
     *
     * @throws InvalidVersionException when {@code text} is not a PEP 440 version
     */
    public static Version parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = PATTERN.matcher(PyText.strip(text));
        if (!m.matches()) {
            throw new InvalidVersionException(text);
        }
        BigInteger epoch = m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch"));
        List<BigInteger> release = new ArrayList<>();
        for (String part : m.group("release").split("\\.")) {
            release.add(new BigInteger(part));
        }
        Phase phase = null;
        BigInteger preNumber = null;
        if (m.group("pre") != null) {
            phase = phaseOf(m.group("preL"));
            preNumber = number(m.group("preN"));
        }
        BigInteger post = null;
        if (m.group("post") != null) {
            post = m.group("postN1") != null ? new BigInteger(m.group("postN1")) : number(m.group("postN2"));
        }
        BigInteger dev = m.group("dev") != null ? number(m.group("devN")) : null;
        List<Object> local = new ArrayList<>();
        if (m.group("local") != null) {
            for (String part : m.group("local").toLowerCase(Locale.ROOT).split("[-_.]")) {
                local.add(part.chars().allMatch(c -> c >= '0' && c <= '9') ? new BigInteger(part) : part);
            }
        }
        return new Version(epoch, release, phase, preNumber, post, dev, local);
    }

    /** Whether {@code text} parses as a version. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }

    private static BigInteger number(String digits) {
        return digits == null ? BigInteger.ZERO : new BigInteger(digits);
    }

    private static Phase phaseOf(String label) {
        switch (label.toLowerCase(Locale.ROOT)) {
            case "a":
            case "alpha":
                return Phase.A;
            case "b":
            case "beta":
                return Phase.B;
            default: // c, rc, pre, preview
                return Phase.RC;
        }
    }

    /** The epoch, 0 when not written. */
    public BigInteger epoch() {
        return epoch;
    }

    /** The release segment, as written (trailing zeros kept). */
    public List<BigInteger> release() {
        return release;
    }

    /** Whether this is a pre-release or a development release (PEP 440's definition of "pre-release"). */
    public boolean isPrerelease() {
        return prePhase != null || dev != null;
    }

    /** Whether this has a post-release segment. */
    public boolean isPostRelease() {
        return post != null;
    }

    /** Whether this has a development release segment. */
    public boolean isDevRelease() {
        return dev != null;
    }

    /** Whether this has a local version label. */
    public boolean hasLocal() {
        return !local.isEmpty();
    }

    /** The pre-release phase, or null. */
    public Phase prePhase() {
        return prePhase;
    }

    /** The pre-release number, or null. */
    public BigInteger preNumber() {
        return preNumber;
    }

    /** The post-release number, or null. */
    public BigInteger post() {
        return post;
    }

    /** The dev-release number, or null. */
    public BigInteger dev() {
        return dev;
    }

    /** The local label in normalised form (segments joined by '.'), or null. */
    public String local() {
        return local.isEmpty() ? null : joinLocal();
    }

    /** This version without its local label. */
    public Version withoutLocal() {
        return local.isEmpty() ? this : new Version(epoch, release, prePhase, preNumber, post, dev, List.of());
    }

    /** The public part of the normalised form (everything before {@code +}). */
    public String publicVersion() {
        return render(false);
    }

    /** The version's release segment only ("base version" with epoch), e.g. {@code 1!2.0} for {@code 1!2.0rc1}. */
    public Version baseVersion() {
        return new Version(epoch, release, null, null, null, null, List.of());
    }

    private String render(boolean withLocal) {
        StringBuilder sb = new StringBuilder();
        if (epoch.signum() != 0) {
            sb.append(epoch).append('!');
        }
        for (int i = 0; i < release.size(); i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(release.get(i));
        }
        if (prePhase != null) {
            sb.append(prePhase.label()).append(preNumber);
        }
        if (post != null) {
            sb.append(".post").append(post);
        }
        if (dev != null) {
            sb.append(".dev").append(dev);
        }
        if (withLocal && !local.isEmpty()) {
            sb.append('+').append(joinLocal());
        }
        return sb.toString();
    }

    private String joinLocal() {
        StringBuilder sb = new StringBuilder();
        for (Object part : local) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /** The normalised form, e.g. {@code 1.0rc1} for {@code 1.0-RC-1}. */
    @Override
    public String toString() {
        return normalized;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version && compareTo((Version) o) == 0;
    }

    @Override
    public int hashCode() {
        // Equal versions differ only in trailing zeros of the release; hash the trimmed release.
        return Objects.hash(epoch, trimmedRelease(), prePhase, preNumber, post, dev, local);
    }

    private List<BigInteger> trimmedRelease() {
        int end = release.size();
        while (end > 1 && release.get(end - 1).signum() == 0) {
            end--;
        }
        return release.subList(0, end);
    }

    /**
     * Orders versions as the specification does: epoch, release (trailing zeros ignored), then dev-only releases
     * before pre-releases before the release before post-releases, and local labels after the public version.
     */
    @Override
    public int compareTo(Version o) {
        int c = epoch.compareTo(o.epoch);
        if (c != 0) {
            return c;
        }
        c = compareRelease(release, o.release);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(preRank(), o.preRank());
        if (c != 0) {
            return c;
        }
        if (prePhase != null) {
            c = preNumber.compareTo(o.preNumber);
            if (c != 0) {
                return c;
            }
        }
        c = compareAbsentLow(post, o.post);
        if (c != 0) {
            return c;
        }
        c = compareAbsentHigh(dev, o.dev);
        if (c != 0) {
            return c;
        }
        return compareLocal(local, o.local);
    }

    /** Rank of the pre-release part: a bare dev release sorts below any pre-release; no pre-release sorts above. */
    private int preRank() {
        if (prePhase == null && post == null && dev != null) {
            return -1;
        }
        if (prePhase == null) {
            return Phase.values().length;
        }
        return prePhase.ordinal();
    }

    private static int compareRelease(List<BigInteger> a, List<BigInteger> b) {
        int n = Math.max(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
            BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int compareAbsentLow(BigInteger a, BigInteger b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return a.compareTo(b);
    }

    private static int compareAbsentHigh(BigInteger a, BigInteger b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        return a.compareTo(b);
    }

    /** Local labels: absent sorts lowest; numeric segments sort above alphanumeric ones; a shorter prefix sorts lower. */
    private static int compareLocal(List<Object> a, List<Object> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            int c;
            if (x instanceof BigInteger && y instanceof BigInteger) {
                c = ((BigInteger) x).compareTo((BigInteger) y);
            } else if (x instanceof BigInteger) {
                c = 1;
            } else if (y instanceof BigInteger) {
                c = -1;
            } else {
                c = ((String) x).compareTo((String) y);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}

package io.github.pybundle.core.spec.pep440;

import io.github.pybundle.core.spec.text.PyText;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One version clause such as {@code >=1.2}, {@code ==1.4.*} or {@code ~=2.2}: an operator and a version.
 *
 * <p>Containment follows the specification's rules, including those that are easy to get wrong: {@code >1.7} does
 * not match {@code 1.7.post1}, {@code <1.7} does not match {@code 1.7a1}, local labels are ignored unless the
 * specifier names one, and pre-releases are excluded unless allowed or named by the specifier.
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/version-specifiers/">Version specifiers</a>
 */
public final class Specifier {
    /** The comparison operators. */
    public enum Operator {
        COMPATIBLE("~="), EQUAL("=="), NOT_EQUAL("!="), LESS_EQUAL("<="), GREATER_EQUAL(">="), LESS("<"),
        GREATER(">"), ARBITRARY("===");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        /** How the operator is written. */
        public String symbol() {
            return symbol;
        }
    }

    // Longest symbols first, so "===" is not read as "==" followed by "=".
    private static final List<Operator> BY_LENGTH = List.of(Operator.ARBITRARY, Operator.COMPATIBLE, Operator.EQUAL,
            Operator.NOT_EQUAL, Operator.LESS_EQUAL, Operator.GREATER_EQUAL, Operator.LESS, Operator.GREATER);

    private static final String RELEASE = "v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*";
    private static final String PRE = "(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?";
    private static final String POST = "(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?";
    private static final String DEV = "(?:[-_.]?dev[-_.]?[0-9]*)?";
    private static final String LOCAL = "(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?";
    /** {@code ==} and {@code !=}: a prefix with {@code .*}, or a full version with an optional local label. */
    private static final Pattern EQUALITY = Pattern.compile(
            RELEASE + "(?:\\.\\*|" + PRE + POST + DEV + LOCAL + ")", Pattern.CASE_INSENSITIVE);
    /** {@code ~=}: at least two release segments, no local label, no wildcard. */
    private static final Pattern COMPATIBLE = Pattern.compile(
            "v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+" + PRE + POST + DEV, Pattern.CASE_INSENSITIVE);
    /** Ordered comparisons: no local label, no wildcard. */
    private static final Pattern ORDERED = Pattern.compile(RELEASE + PRE + POST + DEV, Pattern.CASE_INSENSITIVE);
    /** {@code ===}: anything without whitespace, ';' or ')'. */
    private static final Pattern ARBITRARY = Pattern.compile("[^\\s;)]*");

    private final Operator operator;
    private final String version; // as written, without surrounding whitespace
    private final boolean wildcard;
    private final Version parsed; // null for === with a non-PEP 440 string

    private Specifier(Operator operator, String version) {
        this.operator = operator;
        this.version = version;
        this.wildcard = version.endsWith(".*");
        String v = wildcard ? version.substring(0, version.length() - 2) : version;
        this.parsed = Version.isValid(v) ? Version.parse(v) : null;
    }

    /**
     * Parses one specifier.
     *
     * @throws InvalidSpecifierException when {@code text} is not a specifier
     */
    public static Specifier parse(String text) {
        String s = PyText.strip(text);
        for (Operator op : BY_LENGTH) {
            if (s.startsWith(op.symbol())) {
                String v = PyText.strip(s.substring(op.symbol().length()));
                Pattern p = switch (op) {
                    case EQUAL, NOT_EQUAL -> EQUALITY;
                    case COMPATIBLE -> COMPATIBLE;
                    case ARBITRARY -> ARBITRARY;
                    default -> ORDERED;
                };
                if (!p.matcher(v).matches()) {
                    throw new InvalidSpecifierException(text, reason(op, v));
                }
                return new Specifier(op, v);
            }
        }
        throw new InvalidSpecifierException(text, "it does not start with one of ~= == != <= >= < > ===");
    }

    private static String reason(Operator op, String v) {
        if (v.isEmpty()) {
            return "no version after " + op.symbol();
        }
        if (v.endsWith(".*") && op != Operator.EQUAL && op != Operator.NOT_EQUAL) {
            return "a .* suffix can only be used with == or !=";
        }
        if (v.contains("+") && op != Operator.EQUAL && op != Operator.NOT_EQUAL) {
            return "a local version label can only be used with == or !=";
        }
        if (op == Operator.COMPATIBLE && ORDERED.matcher(v).matches()) {
            return "~= needs a version with at least two release segments, e.g. ~=2.2";
        }
        return "'" + v + "' is not a valid version for " + op.symbol();
    }

    /** The operator. */
    public Operator operator() {
        return operator;
    }

    /** The version as written (with {@code .*} for a prefix match). */
    public String version() {
        return version;
    }

    /**
     * Whether this specifier itself admits pre-releases: an inclusive operator whose version is a pre-release (e.g.
     * {@code >=1.0a1}, {@code ==2.0rc1.*}).
     */
    public boolean admitsPrereleases() {
        return switch (operator) {
            case NOT_EQUAL -> false;
            default -> parsed != null && parsed.isPrerelease();
        };
    }

    /**
     * Whether {@code candidate} satisfies this specifier. Pre-releases are rejected unless {@code prereleases} is
     * true, or it is null and {@link #admitsPrereleases()}.
     */
    public boolean contains(Version candidate, Boolean prereleases) {
        boolean allow = prereleases != null ? prereleases : admitsPrereleases();
        if (candidate.isPrerelease() && !allow) {
            return false;
        }
        return matches(candidate);
    }

    /** Whether {@code candidate} satisfies the comparison, ignoring the pre-release policy. */
    public boolean matches(Version candidate) {
        switch (operator) {
            case ARBITRARY:
                return candidate.toString().toLowerCase(java.util.Locale.ROOT)
                        .equals(version.toLowerCase(java.util.Locale.ROOT));
            case EQUAL:
                return equal(candidate);
            case NOT_EQUAL:
                return !equal(candidate);
            case LESS_EQUAL:
                return candidate.withoutLocal().compareTo(parsed) <= 0;
            case GREATER_EQUAL:
                return candidate.withoutLocal().compareTo(parsed) >= 0;
            case LESS:
                // "<V" excludes pre-releases of V itself unless V is one: <1.7 does not admit 1.7a1.
                return candidate.compareTo(parsed) < 0
                        && !(!parsed.isPrerelease() && candidate.isPrerelease()
                        && candidate.baseVersion().equals(parsed.baseVersion()));
            case GREATER:
                // ">V" excludes post-releases of V unless V is one, and local versions of V: >1.7 does not admit
                // 1.7.post1 or 1.7+local.
                if (candidate.compareTo(parsed) <= 0) {
                    return false;
                }
                boolean sameBase = candidate.baseVersion().equals(parsed.baseVersion());
                return !(sameBase && (!parsed.isPostRelease() && candidate.isPostRelease() || candidate.hasLocal()));
            case COMPATIBLE:
                // ~=X.Y.Z means >=X.Y.Z, ==X.Y.*
                return candidate.withoutLocal().compareTo(parsed) >= 0 && prefixMatches(candidate, compatiblePrefix());
            default:
                throw new IllegalStateException(operator.toString());
        }
    }

    private boolean equal(Version candidate) {
        if (wildcard) {
            return prefixMatches(candidate, parsed);
        }
        return (parsed.hasLocal() ? candidate : candidate.withoutLocal()).equals(parsed);
    }

    /** ~= drops the last release segment: ~=2.2.post3 is ==2.*, ~=1.4.5a4 is ==1.4.*. */
    private Version compatiblePrefix() {
        List<BigInteger> release = parsed.release();
        StringBuilder sb = new StringBuilder().append(parsed.epoch()).append('!');
        for (int i = 0; i < release.size() - 1; i++) {
            sb.append(i == 0 ? "" : ".").append(release.get(i));
        }
        return Version.parse(sb.toString());
    }

    /**
     * Prefix matching ({@code ==V.*}): same epoch, and the candidate's release, padded with zeros, starts with V's
     * release. Pre-, post-, dev- and local parts of the candidate are ignored.
     */
    private static boolean prefixMatches(Version candidate, Version prefix) {
        if (!candidate.epoch().equals(prefix.epoch())) {
            return false;
        }
        List<BigInteger> c = candidate.release();
        List<BigInteger> p = prefix.release();
        for (int i = 0; i < p.size(); i++) {
            BigInteger ci = i < c.size() ? c.get(i) : BigInteger.ZERO;
            if (!ci.equals(p.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A key under which equal specifiers compare equal: the version without trailing zeros (kept for {@code ~=},
     * where they change the meaning); a prefix or a non-PEP 440 string is compared as written.
     */
    String canonicalKey() {
        if (wildcard || parsed == null) {
            return operator.symbol() + version;
        }
        return operator.symbol() + canonical(parsed, operator != Operator.COMPATIBLE);
    }

    // packaging's canonicalize_version: the normalised form, optionally without trailing ".0" release segments.
    private static String canonical(Version v, boolean stripTrailingZeros) {
        if (!stripTrailingZeros) {
            return v.toString();
        }
        List<BigInteger> r = v.release();
        int end = r.size();
        while (end > 1 && r.get(end - 1).signum() == 0) {
            end--;
        }
        StringBuilder sb = new StringBuilder();
        if (v.epoch().signum() != 0) {
            sb.append(v.epoch()).append('!');
        }
        for (int i = 0; i < end; i++) {
            sb.append(i == 0 ? "" : ".").append(r.get(i));
        }
        String full = v.toString();
        String fullRelease = v.baseVersion().toString();
        return sb + full.substring(fullRelease.length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Specifier && ((Specifier) o).canonicalKey().equals(canonicalKey());
    }

    @Override
    public int hashCode() {
        return Objects.hash(canonicalKey());
    }

    /** The specifier as written, without whitespace: operator then version. */
    @Override
    public String toString() {
        return operator.symbol() + version;
    }
}

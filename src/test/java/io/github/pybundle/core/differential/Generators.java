package io.github.pybundle.core.differential;

import io.github.pybundle.core.spec.pep440.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Random inputs for the differential tests: mostly well-formed strings in every spelling the specs allow, plus
 * mutations that probe the edges of the grammars. Seeded, so a failure reproduces.
 */
final class Generators {
    final Random r;

    Generators(long seed) {
        this.r = new Random(seed);
    }

    <T> T pick(List<T> items) {
        return items.get(r.nextInt(items.size()));
    }

    boolean chance(double p) {
        return r.nextDouble() < p;
    }

    String number() {
        int k = r.nextInt(100);
        if (k < 60) {
            return String.valueOf(r.nextInt(4));
        }
        if (k < 85) {
            return String.valueOf(r.nextInt(30));
        }
        if (k < 95) {
            return "0" + r.nextInt(10); // leading zero
        }
        StringBuilder big = new StringBuilder().append(1 + r.nextInt(9));
        for (int i = 0; i < 20; i++) {
            big.append(r.nextInt(10));
        }
        return big.toString();
    }

    private String sep() {
        return pick(List.of("", "", ".", "-", "_"));
    }

    private String randomCase(String s) {
        return chance(0.8) ? s : chance(0.5) ? s.toUpperCase(Locale.ROOT) : s.substring(0, 1).toUpperCase(Locale.ROOT)
                + s.substring(1);
    }

    String release(int minSegments) {
        StringBuilder sb = new StringBuilder(number());
        int n = minSegments - 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.append('.').append(number());
        }
        return sb.toString();
    }

    /** A version in one of the spellings PEP 440 normalises, without a local label unless asked. */
    String version(boolean local, int minSegments) {
        StringBuilder sb = new StringBuilder();
        if (chance(0.05)) {
            sb.append(chance(0.5) ? "v" : "V");
        }
        if (chance(0.08)) {
            sb.append(number()).append('!');
        }
        sb.append(release(minSegments));
        if (chance(0.3)) {
            sb.append(sep()).append(randomCase(pick(List.of("a", "b", "rc", "alpha", "beta", "c", "pre", "preview"))));
            sb.append(chance(0.8) ? sep() + number() : "");
        }
        if (chance(0.2)) {
            sb.append(chance(0.2) ? "-" + number()
                    : sep() + randomCase(pick(List.of("post", "rev", "r"))) + (chance(0.8) ? sep() + number() : ""));
        }
        if (chance(0.2)) {
            sb.append(sep()).append(randomCase("dev")).append(chance(0.8) ? sep() + number() : "");
        }
        if (local && chance(0.2)) {
            sb.append('+').append(localLabel());
        }
        return sb.toString();
    }

    String localLabel() {
        StringBuilder sb = new StringBuilder(pick(List.of("ubuntu", "1", "abc", "cpu", "CU118", "0", "7")));
        for (int i = r.nextInt(3); i > 0; i--) {
            sb.append(pick(List.of(".", "-", "_"))).append(pick(List.of("1", "a", "22", "x", "deb9", "09")));
        }
        return sb.toString();
    }

    /** A string mutated by inserting, deleting or replacing one character. */
    String mutate(String s) {
        String alphabet = "0123456789.-_+!*abcdeprtv ,;()[]@=<>~\t'\"";
        int pos = s.isEmpty() ? 0 : r.nextInt(s.length() + 1);
        char c = alphabet.charAt(r.nextInt(alphabet.length()));
        switch (r.nextInt(3)) {
            case 0:
                return s.substring(0, pos) + c + s.substring(pos);
            case 1:
                return pos < s.length() ? s.substring(0, pos) + s.substring(pos + 1) : s;
            default:
                return pos < s.length() ? s.substring(0, pos) + c + s.substring(pos + 1) : s + c;
        }
    }

    String whitespace() {
        return pick(List.of("", "", "", " ", "  ", "\t"));
    }

    String specifier() {
        String op = pick(List.of("==", "!=", "<=", ">=", "<", ">", "~=", "===", "=="));
        String v;
        if ((op.equals("==") || op.equals("!=")) && chance(0.3)) {
            v = (chance(0.1) ? "v" : "") + release(1) + ".*";
        } else {
            v = version(op.equals("==") || op.equals("!=") || op.equals("===") || chance(0.05),
                    op.equals("~=") ? 2 : 1);
        }
        return op + whitespace() + v;
    }

    String specifierSet() {
        List<String> items = new ArrayList<>();
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            items.add(whitespace() + specifier() + whitespace());
        }
        String s = String.join(",", items);
        return chance(0.1) ? mutate(s) : s;
    }

    /** Versions near those a specifier set names, so that boundaries are exercised. */
    List<String> versionsNear(String specs) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[0-9][0-9a-zA-Z.!+_-]*").matcher(specs);
        List<String> bases = new ArrayList<>();
        while (m.find()) {
            bases.add(m.group().replaceAll("[.]$", ""));
        }
        if (bases.isEmpty()) {
            bases.add(release(1));
        }
        for (int i = 0; i < 6; i++) {
            String b = pick(bases).replaceAll("[+].*", "");
            String v = switch (r.nextInt(9)) {
                case 0 -> b;
                case 1 -> b + ".0";
                case 2 -> b + ".post1";
                case 3 -> b + "a1";
                case 4 -> b + ".dev0";
                case 5 -> b + "+local.1";
                case 6 -> b + "." + r.nextInt(3);
                case 7 -> version(true, 1);
                default -> b.replaceFirst("^[0-9]+", String.valueOf(r.nextInt(4)));
            };
            out.add(v);
        }
        return out;
    }

    static final List<String> STRING_VARIABLES = List.of("os_name", "sys_platform", "platform_machine",
            "platform_python_implementation", "implementation_name", "platform_system", "platform_release",
            "platform_version", "os.name", "sys.platform", "platform.machine", "platform.python_implementation",
            "python_implementation", "platform.version");
    static final List<String> VERSION_VARIABLES = List.of("python_version", "python_full_version",
            "implementation_version");

    String markerItem() {
        String op = pick(List.of("==", "!=", "<", "<=", ">", ">=", "~=", "===", "in", "not in", "=="));
        String var;
        String value;
        int k = r.nextInt(10);
        if (k < 5) {
            var = pick(VERSION_VARIABLES);
            value = chance(0.8) ? pick(List.of("2.7", "3", "3.6", "3.8", "3.9", "3.10", "3.11", "3.12", "3.8.0",
                    "3.11.7", "3.9.*", "3.13.0rc1")) : version(false, 1);
        } else if (k < 8) {
            var = pick(STRING_VARIABLES);
            value = pick(List.of("linux", "win32", "posix", "nt", "x86_64", "aarch64", "CPython", "cpython",
                    "PyPy", "Linux", "Darwin", "5.15", "lin", "#1 SMP"));
        } else {
            var = "extra";
            value = pick(List.of("test", "Test_Extra", "test-extra", "dev", "", "a.b"));
        }
        if (op.equals("~=") && Version.isValid(value)) {
            // Non-normalised "~=" spellings are a documented difference from the reference (docs/standards.md).
            value = Version.parse(value).toString();
        }
        String q = chance(0.5) ? "'" : "\"";
        String quoted = q + value + q;
        String ws = whitespace();
        String item = chance(0.85) ? var + " " + ws + op + " " + quoted : quoted + ws + " " + op + " " + var;
        return item.replace(" " + op + " ", chance(0.2) ? op : " " + op + " ");
    }

    String marker(int depth) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(depth > 1 ? 2 : 3);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(chance(0.5) ? " and " : " or ");
            }
            sb.append(depth < 3 && chance(0.25) ? "(" + whitespace() + marker(depth + 1) + whitespace() + ")"
                    : markerItem());
        }
        return sb.toString();
    }

    String requirement() {
        StringBuilder sb = new StringBuilder(whitespace());
        sb.append(pick(List.of("requests", "Django", "zope.interface", "python-dateutil", "my_pkg", "a", "A-B_C.d",
                "pkg2", "x-")));
        if (chance(0.3)) {
            List<String> extras = new ArrayList<>();
            for (int i = r.nextInt(3); i >= 0; i--) {
                extras.add(pick(List.of("security", "socks", "Test_Extra", "dev", "all")));
            }
            sb.append(whitespace()).append('[').append(whitespace())
                    .append(String.join(whitespace() + "," + whitespace(), extras)).append(']');
        }
        if (chance(0.1)) {
            sb.append(" @ ").append(pick(List.of("https://example.org/pkg-1.0-py3-none-any.whl",
                    "file:///tmp/x.whl", "git+https://g.example/x.git@v1")));
            if (chance(0.5)) {
                sb.append(" ; ").append(marker(1));
            }
        } else {
            if (chance(0.7)) {
                String specs = specifierSet();
                sb.append(whitespace()).append(chance(0.2) ? "(" + specs + ")" : specs);
            }
            if (chance(0.3)) {
                sb.append(whitespace()).append(';').append(whitespace()).append(marker(1));
            }
        }
        String s = sb.toString();
        return chance(0.1) ? mutate(s) : s;
    }
}

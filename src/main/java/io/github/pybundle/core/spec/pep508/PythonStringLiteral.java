package io.github.pybundle.core.spec.pep508;

/**
 * The value of a quoted marker string, with Python's backslash escapes applied (the reference implementation reads
 * marker strings as Python literals).
 */
final class PythonStringLiteral {
    private PythonStringLiteral() {
    }

    static String value(String quoted, Tokenizer t, int position) {
        String body = quoted.substring(1, quoted.length() - 1);
        if (body.indexOf('\\') < 0) {
            return body;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 >= body.length()) {
                sb.append(c);
                continue;
            }
            char e = body.charAt(++i);
            switch (e) {
                case '\n' -> { }
                case '\\', '\'', '"' -> sb.append(e);
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case 'x', 'u', 'U' -> {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    int from = i + 1;
                    int to = from + digits;
                    if (to > body.length() || !body.substring(from, to).matches("[0-9a-fA-F]+")) {
                        throw t.syntaxError("Invalid \\" + e + " escape in quoted string", position + i,
                                position + i + 1);
                    }
                    sb.appendCodePoint(Integer.parseInt(body.substring(from, to), 16));
                    i += digits;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i;
                        while (end < body.length() && end < i + 3 && body.charAt(end) >= '0' && body.charAt(end) <= '7') {
                            end++;
                        }
                        sb.appendCodePoint(Integer.parseInt(body.substring(i, end), 8));
                        i = end - 1;
                    } else {
                        sb.append('\\').append(e); // unknown escapes stay as written, as in Python
                    }
                }
            }
        }
        return sb.toString();
    }
}

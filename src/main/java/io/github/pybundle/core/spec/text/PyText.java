package io.github.pybundle.core.spec.text;

/** String helpers that behave like Python's {@code str} methods, so parsing agrees with the reference tools. */
public final class PyText {
    private PyText() {
    }

    /** Python's {@code str.isspace()} for one code point: bidi class WS, B or S, or category Zs. */
    public static boolean isSpace(int cp) {
        byte dir = Character.getDirectionality(cp);
        return dir == Character.DIRECTIONALITY_WHITESPACE
                || dir == Character.DIRECTIONALITY_PARAGRAPH_SEPARATOR
                || dir == Character.DIRECTIONALITY_SEGMENT_SEPARATOR
                || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /** Python's {@code str.strip()} with no argument. */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    /**
     * Whether {@code s} is a Python identifier that can be imported: starts with a letter or underscore, continues
     * with letters, digits or underscores (Unicode identifier classes), and is not a keyword.
     */
    public static boolean isImportableIdentifier(String s) {
        if (s.isEmpty() || KEYWORDS.contains(s)) {
            return false;
        }
        int first = s.codePointAt(0);
        if (first != '_' && !Character.isUnicodeIdentifierStart(first)) {
            return false;
        }
        return s.codePoints().skip(1).allMatch(cp -> cp == '_' || Character.isUnicodeIdentifierPart(cp)
                && !Character.isIdentifierIgnorable(cp));
    }

    private static final java.util.Set<String> KEYWORDS = java.util.Set.of(
            "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
            "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
            "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield");
}

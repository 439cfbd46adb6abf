package io.github.pybundle.core.spec.pep508;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a requirement or marker string into tokens on demand: the parser asks whether the next token is of a kind,
 * and the token rules are those of the PEP 508 grammar as the reference implementation writes them.
 */
final class Tokenizer {
    enum Kind {
        LEFT_PARENTHESIS, RIGHT_PARENTHESIS, LEFT_BRACKET, RIGHT_BRACKET, SEMICOLON, COMMA, QUOTED_STRING, OP,
        BOOLOP, IN, NOT, VARIABLE, SPECIFIER, AT, URL, IDENTIFIER, VERSION_PREFIX_TRAIL, VERSION_LOCAL_LABEL_TRAIL,
        WS, END
    }

    record Token(Kind kind, String text, int position) {
    }

    private static final String PRE = "(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?";
    private static final String POST = "(?:(?:-[0-9]+)|(?:[-_.]?(?:post|rev|r)[-_.]?[0-9]*))?";
    private static final String DEV = "(?:[-_.]?dev[-_.]?[0-9]*)?";
    private static final String SPECIFIER = "(~=|==|!=|<=|>=|<|>|===)(?:"
            + "(?:(?<====)\\s*[^\\s;)]*)"
            + "|(?:(?<===|!=)\\s*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*"
            + "(?:\\.\\*|" + PRE + POST + DEV + "(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?)?)"
            + "|(?:(?<=~=)\\s*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+" + PRE + POST + DEV + ")"
            + "|(?:(?<!==|!=|~=)\\s*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*" + PRE + POST + DEV + "))";

    // UNIX_LINES: like Python's re, '$' matches at the end or before one final '\n' only.
    private static final Map<Kind, Pattern> RULES = Map.ofEntries(
            Map.entry(Kind.LEFT_PARENTHESIS, Pattern.compile("\\(")),
            Map.entry(Kind.RIGHT_PARENTHESIS, Pattern.compile("\\)")),
            Map.entry(Kind.LEFT_BRACKET, Pattern.compile("\\[")),
            Map.entry(Kind.RIGHT_BRACKET, Pattern.compile("\\]")),
            Map.entry(Kind.SEMICOLON, Pattern.compile(";")),
            Map.entry(Kind.COMMA, Pattern.compile(",")),
            Map.entry(Kind.QUOTED_STRING, Pattern.compile("('[^']*')|(\"[^\"]*\")")),
            Map.entry(Kind.OP, Pattern.compile("(===|==|~=|!=|<=|>=|<|>)")),
            Map.entry(Kind.BOOLOP, Pattern.compile("\\b(or|and)\\b")),
            Map.entry(Kind.IN, Pattern.compile("\\bin\\b")),
            Map.entry(Kind.NOT, Pattern.compile("\\bnot\\b")),
            Map.entry(Kind.VARIABLE, Pattern.compile("\\b(python_version|python_full_version|os[._]name"
                    + "|sys[._]platform|platform_(release|system)|platform[._](version|machine|python_implementation)"
                    + "|python_implementation|implementation_(name|version)|extra)\\b")),
            Map.entry(Kind.SPECIFIER, Pattern.compile(SPECIFIER, Pattern.CASE_INSENSITIVE)),
            Map.entry(Kind.AT, Pattern.compile("@")),
            Map.entry(Kind.URL, Pattern.compile("[^ \\t]+")),
            Map.entry(Kind.IDENTIFIER, Pattern.compile("\\b[a-zA-Z0-9][a-zA-Z0-9._-]*\\b")),
            Map.entry(Kind.VERSION_PREFIX_TRAIL, Pattern.compile("\\.\\*")),
            Map.entry(Kind.VERSION_LOCAL_LABEL_TRAIL, Pattern.compile("\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*")),
            Map.entry(Kind.WS, Pattern.compile("[ \\t]+")),
            Map.entry(Kind.END, Pattern.compile("$", Pattern.UNIX_LINES)));

    private final String source;
    private int position;
    private Token next;

    Tokenizer(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    int position() {
        return position;
    }

    /** Whether the next token is of {@code kind}; unless peeking, it becomes the token {@link #read()} returns. */
    boolean check(Kind kind, boolean peek) {
        if (next != null) {
            throw new IllegalStateException("cannot check for " + kind + ", already have " + next);
        }
        Matcher m = RULES.get(kind).matcher(source);
        m.region(position, source.length());
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        if (!m.lookingAt()) {
            return false;
        }
        if (!peek) {
            next = new Token(kind, m.group(), position);
        }
        return true;
    }

    boolean check(Kind kind) {
        return check(kind, false);
    }

    /** Reads the next token if it is of {@code kind}. */
    void consume(Kind kind) {
        if (check(kind)) {
            read();
        }
    }

    /** Reads the next token, which must be of {@code kind}. */
    Token expect(Kind kind, String expected) {
        if (!check(kind)) {
            throw syntaxError("Expected " + expected, position, position);
        }
        return read();
    }

    Token read() {
        Token t = next;
        if (t == null) {
            throw new IllegalStateException("nothing to read");
        }
        position += t.text().length();
        next = null;
        return t;
    }

    InvalidRequirementException syntaxError(String message, int start, int end) {
        return new InvalidRequirementException(source, message, start, end);
    }
}

package io.github.pybundle.core.spec.pep508;

import io.github.pybundle.core.spec.pep508.MarkerNode.Bool;
import io.github.pybundle.core.spec.pep508.MarkerNode.Group;
import io.github.pybundle.core.spec.pep508.MarkerNode.Item;
import io.github.pybundle.core.spec.pep508.MarkerNode.Operand;
import io.github.pybundle.core.spec.pep508.Tokenizer.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for PEP 508 dependency specifiers and markers. Each method's comment is the grammar rule it
 * implements (the reference implementation's form of the PEP 508 grammar).
 */
final class Parser {
    /** The parts of a requirement string. */
    record Parsed(String name, String url, List<String> extras, String specifier, Group marker) {
    }

    private final Tokenizer t;

    private Parser(String source) {
        this.t = new Tokenizer(source);
    }

    static Parsed requirement(String source) {
        return new Parser(source).parseRequirement();
    }

    static Group marker(String source) {
        Parser p = new Parser(source);
        Group g = p.parseMarker();
        p.t.expect(Kind.END, "end of marker expression");
        return g;
    }

    /** requirement = WS? IDENTIFIER WS? extras WS? requirement_details */
    private Parsed parseRequirement() {
        t.consume(Kind.WS);
        String name = t.expect(Kind.IDENTIFIER, "package name at the start of dependency specifier").text();
        t.consume(Kind.WS);
        List<String> extras = parseExtras();
        t.consume(Kind.WS);
        String url = "";
        String specifier = "";
        Group marker = null;
        // requirement_details = AT URL (WS requirement_marker?)?
        //                     | specifier WS? (requirement_marker)?
        if (t.check(Kind.AT)) {
            t.read();
            t.consume(Kind.WS);
            int urlStart = t.position();
            url = t.expect(Kind.URL, "URL after @").text();
            if (!t.check(Kind.END, true)) {
                t.expect(Kind.WS, "whitespace after URL");
                if (!t.check(Kind.END, true)) {
                    marker = parseRequirementMarker(urlStart, "URL and whitespace");
                }
            }
        } else {
            int specStart = t.position();
            specifier = parseSpecifier();
            t.consume(Kind.WS);
            if (!t.check(Kind.END, true)) {
                marker = parseRequirementMarker(specStart,
                        specifier.isEmpty() ? "name and no valid version specifier" : "version specifier");
            }
        }
        t.expect(Kind.END, "end of dependency specifier");
        return new Parsed(name, url, extras, specifier, marker);
    }

    /** requirement_marker = SEMICOLON marker WS? */
    private Group parseRequirementMarker(int spanStart, String after) {
        if (!t.check(Kind.SEMICOLON)) {
            throw t.syntaxError("Expected end or semicolon (after " + after + ")", spanStart, t.position());
        }
        t.read();
        Group marker = parseMarker();
        t.consume(Kind.WS);
        return marker;
    }

    /** extras = (LEFT_BRACKET wsp* extras_list? wsp* RIGHT_BRACKET)? */
    private List<String> parseExtras() {
        if (!t.check(Kind.LEFT_BRACKET, true)) {
            return List.of();
        }
        int open = t.position();
        t.check(Kind.LEFT_BRACKET);
        t.read();
        t.consume(Kind.WS);
        List<String> extras = parseExtrasList();
        t.consume(Kind.WS);
        close(Kind.RIGHT_BRACKET, "Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras", open);
        return extras;
    }

    /** extras_list = identifier (wsp* ',' wsp* identifier)* */
    private List<String> parseExtrasList() {
        List<String> extras = new ArrayList<>();
        if (!t.check(Kind.IDENTIFIER)) {
            return extras;
        }
        extras.add(t.read().text());
        while (true) {
            t.consume(Kind.WS);
            if (t.check(Kind.IDENTIFIER, true)) {
                throw t.syntaxError("Expected comma between extra names", t.position(), t.position());
            } else if (!t.check(Kind.COMMA)) {
                break;
            }
            t.read();
            t.consume(Kind.WS);
            extras.add(t.expect(Kind.IDENTIFIER, "extra name after comma").text());
        }
        return extras;
    }

    /**
     * specifier = LEFT_PARENTHESIS WS? version_many WS? RIGHT_PARENTHESIS
     *           | WS? version_many WS?
     */
    private String parseSpecifier() {
        int open = -1;
        if (t.check(Kind.LEFT_PARENTHESIS)) {
            open = t.position();
            t.read();
        }
        t.consume(Kind.WS);
        String specs = parseVersionMany();
        t.consume(Kind.WS);
        if (open >= 0) {
            close(Kind.RIGHT_PARENTHESIS,
                    "Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier", open);
        }
        return specs;
    }

    /** version_many = (SPECIFIER (WS? COMMA WS? SPECIFIER)*)? */
    private String parseVersionMany() {
        StringBuilder specs = new StringBuilder();
        while (t.check(Kind.SPECIFIER)) {
            int start = t.position();
            specs.append(t.read().text());
            if (t.check(Kind.VERSION_PREFIX_TRAIL, true)) {
                throw t.syntaxError(".* suffix can only be used with `==` or `!=` operators", start,
                        t.position() + 1);
            }
            if (t.check(Kind.VERSION_LOCAL_LABEL_TRAIL, true)) {
                throw t.syntaxError("Local version label can only be used with `==` or `!=` operators", start,
                        t.position());
            }
            t.consume(Kind.WS);
            if (!t.check(Kind.COMMA)) {
                break;
            }
            specs.append(t.read().text());
            t.consume(Kind.WS);
        }
        return specs.toString();
    }

    /** marker = marker_atom (BOOLOP marker_atom)* */
    private Group parseMarker() {
        List<MarkerNode> nodes = new ArrayList<>();
        nodes.add(parseMarkerAtom());
        while (t.check(Kind.BOOLOP)) {
            nodes.add(t.read().text().equals("and") ? Bool.AND : Bool.OR);
            nodes.add(parseMarkerAtom());
        }
        return new Group(nodes);
    }

    /**
     * marker_atom = WS? LEFT_PARENTHESIS WS? marker WS? RIGHT_PARENTHESIS WS?
     *             | WS? marker_item WS?
     */
    private MarkerNode parseMarkerAtom() {
        t.consume(Kind.WS);
        MarkerNode node;
        if (t.check(Kind.LEFT_PARENTHESIS, true)) {
            int open = t.position();
            t.check(Kind.LEFT_PARENTHESIS);
            t.read();
            t.consume(Kind.WS);
            node = parseMarker();
            t.consume(Kind.WS);
            close(Kind.RIGHT_PARENTHESIS,
                    "Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after marker expression", open);
        } else {
            node = parseMarkerItem();
        }
        t.consume(Kind.WS);
        return node;
    }

    /** marker_item = WS? marker_var WS? marker_op WS? marker_var WS? */
    private Item parseMarkerItem() {
        t.consume(Kind.WS);
        Operand left = parseMarkerVar();
        t.consume(Kind.WS);
        String op = parseMarkerOp();
        t.consume(Kind.WS);
        Operand right = parseMarkerVar();
        t.consume(Kind.WS);
        return new Item(left, op, right);
    }

    /** marker_var = VARIABLE | QUOTED_STRING */
    private Operand parseMarkerVar() {
        if (t.check(Kind.VARIABLE)) {
            return new Operand(true, MarkerEnvironment.canonicalVariable(t.read().text()));
        }
        if (t.check(Kind.QUOTED_STRING)) {
            Tokenizer.Token token = t.read();
            return new Operand(false, PythonStringLiteral.value(token.text(), t, token.position()));
        }
        throw t.syntaxError("Expected a marker variable or quoted string", t.position(), t.position());
    }

    /** marker_op = IN | NOT IN | OP */
    private String parseMarkerOp() {
        if (t.check(Kind.IN)) {
            t.read();
            return "in";
        }
        if (t.check(Kind.NOT)) {
            t.read();
            t.expect(Kind.WS, "whitespace after 'not'");
            t.expect(Kind.IN, "'in' after 'not'");
            return "not in";
        }
        if (t.check(Kind.OP)) {
            return t.read().text();
        }
        throw t.syntaxError("Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in",
                t.position(), t.position());
    }

    private void close(Kind kind, String message, int open) {
        if (!t.check(kind)) {
            throw t.syntaxError(message, open, t.position());
        }
        t.read();
    }
}

package io.github.pybundle.core.spec.pep508;

import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.InvalidSpecifierException;
import io.github.pybundle.core.spec.pep440.InvalidVersionException;
import io.github.pybundle.core.spec.pep440.Specifier;
import io.github.pybundle.core.spec.pep440.Version;
import io.github.pybundle.core.spec.pep508.MarkerNode.Bool;
import io.github.pybundle.core.spec.pep508.MarkerNode.Group;
import io.github.pybundle.core.spec.pep508.MarkerNode.Item;
import io.github.pybundle.core.spec.pep508.MarkerNode.Operand;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An environment marker such as {@code python_version >= "3.8" and sys_platform == "linux"}, evaluated against a
 * {@link MarkerEnvironment} that describes the target.
 *
 * <p>Comparison semantics: when the operator and right-hand value form a valid version specifier, the left value is
 * compared as a PEP 440 version (pre-releases admitted); otherwise the values are compared as strings (Python's
 * {@code in}, {@code not in}, {@code ==}, {@code !=}, {@code <}, {@code <=}, {@code >=}, {@code >}); any other
 * combination is an error. Values of {@code extra} are compared after name normalisation (PEP 685).
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/dependency-specifiers/">Dependency specifiers</a>
 */
public final class Marker {
    private final Group root;

    private Marker(Group root) {
        this.root = normalizeExtras(root);
    }

    /**
     * Parses a marker expression.
     *
     * @throws InvalidRequirementException when {@code text} does not follow the grammar; the message has a caret
     */
    public static Marker parse(String text) {
        return new Marker(Parser.marker(text));
    }

    static Marker of(Group root) {
        return new Marker(root);
    }

    /**
     * Evaluates the marker.
     *
     * @param extra the extra being evaluated, or null for none
     * @throws MarkerEvaluationException when a comparison is undefined for its values
     */
    public boolean evaluate(MarkerEnvironment environment, String extra) {
        return evaluate(root, environment, extra == null ? "" : extra);
    }

    /** Whether the marker mentions the {@code extra} variable (it then applies only when that extra is requested). */
    public boolean mentionsExtra() {
        return mentionsExtra(root);
    }

    private static boolean mentionsExtra(MarkerNode node) {
        if (node instanceof Group g) {
            return g.nodes().stream().anyMatch(Marker::mentionsExtra);
        }
        if (node instanceof Item i) {
            return i.lhs().variable() && i.lhs().value().equals("extra")
                    || i.rhs().variable() && i.rhs().value().equals("extra");
        }
        return false;
    }

    // "and" binds tighter than "or": the items between two "or"s form a group that must all hold. Every item is
    // evaluated (no short circuit), so an undefined comparison is reported wherever it stands.
    private static boolean evaluate(Group group, MarkerEnvironment env, String extra) {
        List<List<Boolean>> ors = new ArrayList<>();
        ors.add(new ArrayList<>());
        for (MarkerNode node : group.nodes()) {
            if (node instanceof Group g) {
                ors.get(ors.size() - 1).add(evaluate(g, env, extra));
            } else if (node instanceof Item item) {
                ors.get(ors.size() - 1).add(evaluate(item, env, extra));
            } else if (node == Bool.OR) {
                ors.add(new ArrayList<>());
            }
        }
        return ors.stream().anyMatch(all -> all.stream().allMatch(b -> b));
    }

    private static boolean evaluate(Item item, MarkerEnvironment env, String extra) {
        String variable = item.lhs().variable() ? item.lhs().value() : item.rhs().value();
        String lhs = value(item.lhs(), env, extra);
        String rhs = value(item.rhs(), env, extra);
        if (variable.equals("extra")) {
            lhs = ProjectName.normalize(lhs);
            rhs = ProjectName.normalize(rhs);
        }
        return compare(lhs, item.op(), rhs);
    }

    private static String value(Operand operand, MarkerEnvironment env, String extra) {
        if (!operand.variable()) {
            return operand.value();
        }
        return operand.value().equals("extra") ? extra : env.get(operand.value());
    }

    static boolean compare(String lhs, String op, String rhs) {
        Specifier spec = null;
        try {
            spec = Specifier.parse(op + rhs);
        } catch (InvalidSpecifierException notAVersionComparison) {
            // compared as strings below
        }
        if (spec != null) {
            try {
                return spec.contains(Version.parse(lhs), true);
            } catch (InvalidVersionException e) {
                throw new MarkerEvaluationException("cannot compare '" + lhs + "' " + op + " '" + rhs
                        + "': '" + lhs + "' is not a PEP 440 version");
            }
        }
        return switch (op) {
            case "in" -> rhs.contains(lhs);
            case "not in" -> !rhs.contains(lhs);
            case "==" -> lhs.equals(rhs);
            case "!=" -> !lhs.equals(rhs);
            case "<" -> codePointCompare(lhs, rhs) < 0;
            case "<=" -> codePointCompare(lhs, rhs) <= 0;
            case ">=" -> codePointCompare(lhs, rhs) >= 0;
            case ">" -> codePointCompare(lhs, rhs) > 0;
            default -> throw new MarkerEvaluationException("the operator " + op + " is undefined for '" + lhs
                    + "' and '" + rhs + "'");
        };
    }

    // Python compares str by code point; Java's compareTo by UTF-16 unit, which differs above U+FFFF.
    private static int codePointCompare(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        return java.util.Arrays.compare(x, y);
    }

    // PEP 685: extra names are compared normalised; the literal is stored normalised.
    private static Group normalizeExtras(Group group) {
        List<MarkerNode> nodes = new ArrayList<>();
        for (MarkerNode node : group.nodes()) {
            if (node instanceof Group g) {
                nodes.add(normalizeExtras(g));
            } else if (node instanceof Item i) {
                Operand lhs = i.lhs();
                Operand rhs = i.rhs();
                if (lhs.variable() && lhs.value().equals("extra") && !rhs.variable()) {
                    rhs = new Operand(false, ProjectName.normalize(rhs.value()));
                } else if (rhs.variable() && rhs.value().equals("extra") && !lhs.variable()) {
                    lhs = new Operand(false, ProjectName.normalize(lhs.value()));
                }
                nodes.add(new Item(lhs, i.op(), rhs));
            } else {
                nodes.add(node);
            }
        }
        return new Group(nodes);
    }

    /** The marker in canonical form: variables by canonical name, values double-quoted, redundant outer parentheses dropped. */
    @Override
    public String toString() {
        return format(root, true);
    }

    private static String format(MarkerNode node, boolean top) {
        if (node instanceof Group g) {
            if (g.nodes().size() == 1 && !(g.nodes().get(0) instanceof Bool)) {
                return format(g.nodes().get(0), true);
            }
            String inner = g.nodes().stream().map(n -> format(n, false)).collect(Collectors.joining(" "));
            return top ? inner : "(" + inner + ")";
        }
        if (node instanceof Item i) {
            return i.lhs().serialize() + " " + i.op() + " " + i.rhs().serialize();
        }
        return node == Bool.AND ? "and" : "or";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Marker && o.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}

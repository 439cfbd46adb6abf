package io.github.pybundle.core.spec.pep508;

import java.util.List;

/** The parsed form of a marker: a flat list of items, nested groups and boolean operators, as PEP 508 writes it. */
sealed interface MarkerNode {
    /** A parenthesised (or top-level) sequence: {@code atom (and|or atom)*}. */
    record Group(List<MarkerNode> nodes) implements MarkerNode {
    }

    /** One comparison: {@code lhs op rhs}, each side a variable or a quoted value. */
    record Item(Operand lhs, String op, Operand rhs) implements MarkerNode {
    }

    /** {@code and} or {@code or}; {@code and} binds tighter. */
    enum Bool implements MarkerNode { AND, OR }

    /** A marker variable (by its canonical name) or a literal value. */
    record Operand(boolean variable, String value) {
        String serialize() {
            return variable ? value : "\"" + value + "\"";
        }
    }
}

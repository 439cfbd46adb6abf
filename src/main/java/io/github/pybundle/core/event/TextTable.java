package io.github.pybundle.core.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Rows of text in aligned columns, for log output: each column is as wide as its widest cell (header included), so a
 * long cell never pushes the columns after it out of line; columns are two spaces apart; the last column is not
 * padded, and no line ends in spaces.
 *
 * @param <R> the row type; each column takes its cell from a row
 */
public final class TextTable<R> {
    /** Which side of its column a cell keeps to. */
    public enum Align { LEFT, RIGHT }

    /**
     * One column: its header, its alignment and how a row gives its cell.
     *
     * @param header the header
     * @param align left for text, right for numbers
     * @param cell the cell of a row (null is shown empty)
     * @param <R> the row type
     */
    public record Column<R>(String header, Align align, Function<R, String> cell) {
        /** A column of text. */
        public static <R> Column<R> left(String header, Function<R, String> cell) {
            return new Column<>(header, Align.LEFT, cell);
        }

        /** A column of numbers. */
        public static <R> Column<R> right(String header, Function<R, String> cell) {
            return new Column<>(header, Align.RIGHT, cell);
        }
    }

    private static final String GAP = "  ";

    private final List<Column<R>> columns;

    public TextTable(List<Column<R>> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs a column");
        }
        this.columns = List.copyOf(columns);
    }

    /** The header line, then one line per row. */
    public List<String> lines(List<R> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns.stream().map(Column::header).toList());
        for (R row : rows) {
            cells.add(columns.stream().map(c -> {
                String v = c.cell().apply(row);
                return v == null ? "" : v;
            }).toList());
        }
        int[] width = new int[columns.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        List<String> out = new ArrayList<>();
        for (List<String> line : cells) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                String v = line.get(i);
                String pad = String.join("", Collections.nCopies(width[i] - v.length(), " "));
                boolean last = i == width.length - 1;
                sb.append(i == 0 ? "" : GAP);
                if (columns.get(i).align() == Align.RIGHT) {
                    sb.append(pad).append(v);
                } else {
                    sb.append(v).append(last ? "" : pad);
                }
            }
            out.add(sb.toString().stripTrailing());
        }
        return out;
    }
}

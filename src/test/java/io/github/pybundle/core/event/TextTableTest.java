package io.github.pybundle.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pybundle.core.event.TextTable.Column;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Columns as wide as their widest cell, two spaces apart, numbers to the right, no trailing spaces. */
class TextTableTest {
    private static final TextTable<String[]> TABLE = new TextTable<>(List.of(Column.left("Name", r -> r[0]),
            Column.right("Size", r -> r[1]), Column.left("Kind", r -> r[2]), Column.left("Note", r -> r[3])));

    @Test
    void aLongCellWidensItsColumnAndEveryRowStaysInLine() {
        List<String> lines = TABLE.lines(List.of(new String[] {"a", "1 kB", "pure", "x"},
                new String[] {"a-much-longer-name", "12.3 MB", "native", null},
                new String[] {"b", "-", null, "last column not padded"}));
        assertEquals(List.of(
                "Name                   Size  Kind    Note",
                "a                      1 kB  pure    x",
                "a-much-longer-name  12.3 MB  native",
                "b                         -          last column not padded"), lines);
    }

    @Test
    void withoutRowsOnlyTheHeader() {
        assertEquals(List.of("Name  Size  Kind  Note"), TABLE.lines(List.of()));
    }
}

package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The table that ends {@code bundle} and that {@code list} prints. */
class ContentsTableTest {
    @Test
    void aLongWheelNameKeepsEveryColumnInLineAndEachKindOfRowFitsTheHeader() {
        List<String> lines = ContentsTable.lines(List.of(
                ContentsTable.wheel("regex-2026.11.19-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64"
                        + ".manylinux_2_28_x86_64.whl", 806_000, false, ContentsTable.ENVIRONMENT_ARCHIVE)
                        .needing("glibc 2.17"),
                ContentsTable.wheel("python_dateutil-2.9.0.post0-py2.py3-none-any.whl", 229_000, true,
                        ContentsTable.PY_FILES_ZIP),
                ContentsTable.provided("pyspark", ""),
                ContentsTable.provided("numpy", "1.24.4"),
                ContentsTable.excluded("tzdata", null),
                ContentsTable.jar("commons-csv-1.10.0.jar", 54_400)));
        assertEquals(List.of(
                "Package                 Version        Size  Kind    Placed in                Needs       File",
                "regex                   2026.11.19   806 kB  native  environment archive      glibc 2.17  regex"
                        + "-2026.11.19-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64"
                        + ".whl",
                "python-dateutil         2.9.0.post0  229 kB  pure    py-files zip                         python"
                        + "_dateutil-2.9.0.post0-py2.py3-none-any.whl",
                "pyspark                 any               -  -       provided by the cluster",
                "numpy                   1.24.4            -  -       provided by the cluster",
                "tzdata                  -                 -  -       excluded",
                "commons-csv-1.10.0.jar  -             54 kB  jar     --jars"), lines);
    }
}

package io.github.pybundle.core.spec.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pybundle.core.spec.tags.Tag;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parts of wheel names parsed before are remembered (a large project's page repeats a few versions and tag sets
 * thousands of times): what is remembered gives the same results as parsing, a bad part is never remembered as good,
 * and the memory stays bounded. The name convention itself is checked against the reference implementation in
 * {@code ReferenceDifferentialTest}.
 */
class WheelFilenameTest {
    @Test
    void aRememberedPart_givesWhatParsingGives() {
        WheelFilename first = WheelFilename.parse("Numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
        WheelFilename again = WheelFilename.parse("Numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
        assertEquals(first, again);
        assertEquals("numpy", again.name());
        assertEquals("2.0.0", again.version().toString());
        assertEquals(List.of(new Tag("cp311", "cp311", "manylinux_2_17_x86_64"), new Tag("cp311", "cp311",
                "manylinux2014_x86_64")), List.copyOf(again.tags()), "in the name's order");
        assertThrows(UnsupportedOperationException.class, () -> again.tags().clear(),
                "a shared set cannot be changed by one of its users");
    }

    @Test
    void aBadPart_isRefusedEveryTime_evenNextToGoodOnes() {
        WheelFilename.parse("pkg-1.0-py3-none-any.whl");
        for (int i = 0; i < 2; i++) {
            assertThrows(InvalidFilenameException.class, () -> WheelFilename.parse("pkg-1.0.x-py3-none-any.whl"));
            assertThrows(InvalidFilenameException.class, () -> WheelFilename.parse("pk$g-1.0-py3-none-any.whl"));
            assertThrows(InvalidFilenameException.class, () -> WheelFilename.parse("pkg-1.0-py3-none.whl"));
        }
    }

    @Test
    void manyMoreDistinctPartsThanAreRemembered_stillParseCorrectly() {
        for (int i = 0; i < 10_000; i++) {
            WheelFilename w = WheelFilename.parse("p" + i + "-1." + i + "-py3-none-linux_" + i + ".whl");
            assertEquals("p" + i, w.name());
            assertEquals("1." + i, w.version().toString());
            assertEquals("linux_" + i, w.tags().iterator().next().platform());
        }
    }
}

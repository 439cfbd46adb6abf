package io.github.pybundle.core.wheel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WheelEntriesTest {
    @ParameterizedTest
    @ValueSource(strings = {"C:/evil.py", "c:evil.py", "z:", "A:pkg/x.py", "/etc/evil.py", "pkg\\evil.py"})
    void drivesAbsoluteAndBackslashPathsAreRefused(String name) {
        assertEquals("an absolute, drive or backslash path", WheelEntries.unsafeReason(name));
    }

    // A colon elsewhere, or after something that is not a letter, is a legal (if odd) file name in a wheel.
    @ParameterizedTest
    @ValueSource(strings = {"pkg/a:b.py", "1:x.py", ":x.py", "é:x.py", "C", "pkg/C:/x.py", "Ab:c.py"})
    void otherColonsAreNotDrives(String name) {
        assertNull(WheelEntries.unsafeReason(name), name);
    }
}

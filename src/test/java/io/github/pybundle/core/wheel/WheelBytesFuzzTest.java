package io.github.pybundle.core.wheel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pybundle.testing.TestWheels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte-level fuzzing of the wheel reader: libFuzzer's mutations (with comparison feedback) of whole wheel files,
 * starting from valid wheels built by {@link TestWheels} and laid out by {@link WheelModel}. See docs/security.md.
 */
class WheelBytesFuzzTest {
    static Stream<byte[]> seeds() {
        return Stream.concat(WheelContract.specs().map(spec -> {
            try {
                return TestWheels.build(spec);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), WheelArchiveFuzzTest.seeds().map(WheelModel::bytes));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void wheelBytes(byte[] bytes) throws IOException {
        WheelContract.check(bytes);
    }
}

package io.github.pybundle.core.wheel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Structure-aware fuzzing of the wheel reader: Jazzer mutates a {@link WheelModel} (entry names and contents, methods,
 * extra fields, modes, RECORD, single zip header fields, single bytes) that is laid out as a consistent zip, starting
 * from valid wheels. Run with {@code JAZZER_FUZZ=1} to fuzz (the {@code fuzz} execution of the build does), without it
 * to replay the seeds. See docs/security.md.
 */
class WheelArchiveFuzzTest {
    static Stream<WheelModel> seeds() {
        return WheelContract.specs().flatMap(spec -> Stream.of(true, false).map(deflate -> {
            try {
                return WheelModel.of(spec, deflate);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void wheel(@NotNull WheelModel wheel) throws IOException {
        WheelContract.check(wheel.bytes());
    }
}

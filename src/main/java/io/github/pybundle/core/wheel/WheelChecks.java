package io.github.pybundle.core.wheel;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.event.BuildListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an archive builder treats the wheels it receives: which ones were already checked, the zip-bomb limits, where
 * warnings go, and what the native code in them is checked against.
 *
 * @param memo wheels already checked in full (their RECORD, CRCs and deflate streams)
 * @param maxInflatedWheel the most one wheel may inflate to, in bytes
 * @param maxInflatedArchive the most all wheels of one output (the py-files zip, the environment archive) may
 *     inflate to, in bytes
 * @param listener receives warnings (a newer minor Wheel-Version, case-only name collisions in the zip, native code
 *     allowed to mismatch the target)
 * @param nativeCheck what the ELF files of the wheels of one output are checked against
 */
public record WheelChecks(WheelVerifier.Memo memo, long maxInflatedWheel, long maxInflatedArchive,
                          BuildListener listener, NativeCheck nativeCheck) {
    /** The default limit for all the wheels of one output: 32 GiB. */
    public static final long DEFAULT_MAX_INFLATED_ARCHIVE = 32L * 1024 * 1024 * 1024;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,18})\\s*((?i)[kmgt]i?b?|b)?");

    /**
     * Reads a size such as {@code 8GiB}, {@code 512MiB}, {@code 64k} or a number of bytes.
     *
     * @param setting the setting that holds it, for messages
     * @throws InvalidConfigurationException when it is not a positive size
     */
    public static long parseSize(String setting, String value) {
        Matcher m = SIZE.matcher(value == null ? "" : value.strip());
        if (m.matches()) {
            String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
            int shift = unit.isEmpty() || unit.equals("b") ? 0 : switch (unit.charAt(0)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                default -> 40;
            };
            long n = Long.parseLong(m.group(1));
            if (n > 0 && Long.numberOfLeadingZeros(n) > shift + 1) {
                return n << shift;
            }
        }
        throw new InvalidConfigurationException(setting, value, "'" + value + "' is not a size", "write a size such"
                + " as 8GiB, 512MiB or 1024k");
    }

    /** Checks without a target: native code is read but not checked. */
    public WheelChecks(WheelVerifier.Memo memo, long maxInflatedWheel, long maxInflatedArchive,
                       BuildListener listener) {
        this(memo, maxInflatedWheel, maxInflatedArchive, listener, NativeCheck.none());
    }

    /** Every wheel checked, default limits, warnings dropped, native code not checked against a target. */
    public static WheelChecks defaults() {
        return new WheelChecks(WheelVerifier.Memo.none(), WheelSource.DEFAULT_MAX_INFLATED,
                DEFAULT_MAX_INFLATED_ARCHIVE, BuildListener.silent());
    }

    /** These checks with another memo. */
    public WheelChecks withMemo(WheelVerifier.Memo m) {
        return new WheelChecks(m, maxInflatedWheel, maxInflatedArchive, listener, nativeCheck);
    }

    /** These checks with another listener. */
    public WheelChecks withListener(BuildListener l) {
        return new WheelChecks(memo, maxInflatedWheel, maxInflatedArchive, l, nativeCheck);
    }

    /** These checks with native code checked as {@code check} says. */
    public WheelChecks withNativeCheck(NativeCheck check) {
        return new WheelChecks(memo, maxInflatedWheel, maxInflatedArchive, listener, check);
    }

    /** Opens a wheel under these limits and passes on its warnings. */
    public WheelSource open(Path wheel) throws IOException {
        WheelSource w = WheelSource.open(wheel, maxInflatedWheel);
        w.warnings().forEach(m -> listener.log(BuildListener.Level.WARN, m));
        return w;
    }

    /** Throws when the wheels of one output inflate to more than the limit. */
    public void checkTotal(long total, String output) {
        if (total > maxInflatedArchive) {
            throw new PyBundleException("the wheels of " + output + " inflate to " + total
                    + " bytes, over the limit of " + maxInflatedArchive, List.of("raise"
                    + " {@maxInflatedBundleSize} if these packages are really that large"));
        }
    }
}

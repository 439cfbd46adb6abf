package io.github.pybundle.core.project;

import io.github.pybundle.core.InvalidConfigurationException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The time written into every archive entry, so that the same inputs give the same bytes.
 *
 * <p>Follows Maven's {@code project.build.outputTimestamp} convention (as maven-jar-plugin does): an ISO-8601 instant
 * with offset, or whole seconds since the epoch; unset or a single character means "not reproducible". Zip entries
 * can only hold times from 1980 to 2107, so values outside 1980-01-01T00:00:02Z..2099-12-31T23:59:59Z are refused.
 */
public final class BuildTimestamp {
    static final Instant MIN = Instant.parse("1980-01-01T00:00:02Z");
    static final Instant MAX = Instant.parse("2099-12-31T23:59:59Z");

    private BuildTimestamp() {
    }

    /**
     * Parses {@code project.build.outputTimestamp}.
     *
     * @return the instant (truncated to whole seconds), or empty when the value is unset
     * @throws InvalidConfigurationException when the value is set but malformed or out of range
     */
    public static Optional<Instant> parse(String value) {
        if (value == null || value.trim().length() < 2) {
            return Optional.empty();
        }
        String v = value.trim();
        Instant instant;
        try {
            if (v.chars().allMatch(Character::isDigit)) {
                instant = Instant.ofEpochSecond(Long.parseLong(v));
            } else {
                instant = OffsetDateTime.parse(v).toInstant();
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new InvalidConfigurationException("project.build.outputTimestamp", value,
                    "project.build.outputTimestamp '" + value + "' is neither an ISO-8601 date-time with offset nor"
                            + " seconds since the epoch",
                    "use a value such as 2024-01-01T00:00:00Z, or 1704067200");
        }
        if (instant.isBefore(MIN) || instant.isAfter(MAX)) {
            throw new InvalidConfigurationException("project.build.outputTimestamp", value,
                    "project.build.outputTimestamp '" + value + "' is outside the range zip files can store",
                    "use a date between 1980-01-01T00:00:02Z and 2099-12-31T23:59:59Z");
        }
        return Optional.of(Instant.ofEpochSecond(instant.getEpochSecond()));
    }

    /**
     * The timestamp for archive entries: the configured one, else {@code SOURCE_DATE_EPOCH}, else {@code fallback}
     * (the build's start).
     */
    public static Instant resolve(String outputTimestamp, String sourceDateEpoch, Instant fallback) {
        Optional<Instant> configured = parse(outputTimestamp);
        if (configured.isPresent()) {
            return configured.get();
        }
        if (sourceDateEpoch != null && !sourceDateEpoch.isBlank()) {
            try {
                Instant i = Instant.ofEpochSecond(Long.parseLong(sourceDateEpoch.trim()));
                if (!i.isBefore(MIN) && !i.isAfter(MAX)) {
                    return i;
                }
            } catch (NumberFormatException ignored) {
                // not a number: fall through to the build time, as other reproducible-build tools do
            }
        }
        Instant f = Instant.ofEpochSecond(fallback.getEpochSecond());
        return f.isBefore(MIN) ? MIN : f;
    }
}

package io.github.pybundle.core;

import java.util.List;

/**
 * A setting the user gave (or left at its default) is not usable; names the setting and the bad value.
 *
 * <p>{@link #setting()} is the neutral name of the setting, e.g. {@code pythonSourceDirectory}; the Maven adapter shows
 * it as the pom element {@code <pythonSourceDirectory>}.
 */
public class InvalidConfigurationException extends PyBundleException {
    private static final long serialVersionUID = 1L;
    private final String setting;
    private final String value;

    public InvalidConfigurationException(String setting, String value, String problem, String... hints) {
        super(problem, List.of(hints));
        this.setting = setting;
        this.value = value;
    }

    /** The name of the setting (a pom element name without brackets). */
    public String setting() {
        return setting;
    }

    /** The offending value as the user wrote it, or null when the setting was absent. */
    public String value() {
        return value;
    }

    @Override
    public Kind kind() {
        return Kind.CONFIGURATION;
    }
}

package io.github.pybundle.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** pybundle's own name and version, as written into generated files. */
public final class Generator {
    /** The version of this pybundle build. */
    public static final String VERSION = readVersion();
    /** e.g. {@code pybundle 0.1.0-SNAPSHOT}. */
    public static final String NAME = "pybundle " + VERSION;

    private Generator() {
    }

    private static String readVersion() {
        try (InputStream in = Generator.class.getResourceAsStream("pybundle.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

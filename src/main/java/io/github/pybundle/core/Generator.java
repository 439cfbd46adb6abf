package io.github.pybundle.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** pybundle's own name and version, as written into generated files. */
public final class Generator {
    /** The version of this pybundle build. */
    public static final String VERSION = readVersion();
    /** e.g. {@code pybundle 0.1.0-SNAPSHOT}. */
    public static final String NAME = "pybundle " + VERSION;
    /**
     * This build of pybundle, for keys of what it built before: the version, and for a snapshot (whose code changes
     * under one version) the size and time of its jar, or the start of this JVM when it runs from classes.
     */
    public static final String BUILD = VERSION + (VERSION.endsWith("-SNAPSHOT") || VERSION.equals("unknown")
            ? " " + codeStamp() : "");

    private Generator() {
    }

    private static String codeStamp() {
        try {
            Path code = Path.of(Generator.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            if (Files.isRegularFile(code)) {
                return Files.size(code) + ":" + Files.getLastModifiedTime(code).toMillis();
            }
        } catch (IOException | RuntimeException | URISyntaxException e) {
            // below
        }
        return "jvm:" + ManagementFactory.getRuntimeMXBean().getStartTime();
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

package io.github.pybundle.examples;

/** Java code the PySpark driver calls through {@code spark._jvm}: it reaches the driver's JVM with {@code --jars}. */
public final class Greeter {
    private Greeter() {
    }

    /** A greeting, to show the call went through. */
    public static String greet(String who) {
        return "Hello, " + who + ", from Java " + System.getProperty("java.specification.version");
    }
}

package io.github.pybundle.it;

/** Called by the driver through spark._jvm: proves the project's JAR reached the driver's class path on YARN. */
public final class Hello {
    private Hello() {
    }

    public static String hello(String who) {
        return "hello " + who + " from the project's JAR";
    }
}

package io.github.pybundle.maven;

import java.io.File;

/** The pom's {@code <verify>}. */
public class VerifyConfig {
    /** A Spark installation to run the application with; default: the pyspark the interpreter can import. */
    File sparkHome;
    /** Whether to run the application on a local Spark (local[2]) when Spark is available (default true). */
    boolean runApplication = true;
}

package io.github.pybundle.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pom's {@code <spark>}: how the generated launchers run the application. */
public class SparkConfig {
    /** The master URL (default local[*]); PYBUNDLE_MASTER overrides it at run time. */
    String master = "local[*]";
    /** client (default) or cluster; PYBUNDLE_DEPLOY_MODE overrides it at run time. */
    String deployMode = "client";
    /** Spark configuration, e.g. {@code <spark.executor.memory>2g</spark.executor.memory>}. */
    Map<String, String> conf = new LinkedHashMap<>();
    /** Extra files shipped with --files. */
    List<File> files = new ArrayList<>();
    /** Application arguments placed before those given to the launcher. */
    List<String> args = new ArrayList<>();
    /** A remote directory the outputs are uploaded to (e.g. hdfs:///apps/app/1.0): all paths then point there. */
    String remoteDir;
    /** The container image for spark-application.yaml. */
    String image;
    /** The Spark version for spark-application.yaml. */
    String version;
    /**
     * More JARs to ship with {@code --jars}: paths, or {@code groupId:artifactId:version} of a dependency of the
     * project (since 0.2.0).
     */
    List<String> jars = new ArrayList<>();
    /**
     * Whether to ship the project's own JAR and its runtime JAR dependencies with {@code --jars} (default true; since
     * 0.2.0).
     */
    boolean shipJars = true;
    /**
     * Whether files uploaded to remoteDir are world-readable, with traversable directories, so that YARN localizes
     * them as PUBLIC resources (each NodeManager downloads them once for all applications); false keeps them private
     * to their owner (default true; since 0.2.0).
     */
    boolean publicCache = true;
}

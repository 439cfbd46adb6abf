package io.github.pybundle.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The pom's {@code <target>}: the cluster's interpreter and platform, and what it already has installed. */
public class TargetConfig {
    /**
     * A named cluster profile (pybundle:profiles lists them), or the path of a probe.py output ending in .json: fills
     * the target; explicit elements replace its values, provided entries are added to its own.
     */
    String profile;
    /** The cluster's Python major.minor, e.g. 3.8. */
    String pythonVersion;
    /** The full version, e.g. 3.8.18, for python_full_version markers. */
    String pythonFullVersion;
    /** cp (CPython, default) or pp (PyPy). */
    String implementation;
    /** ABIs; default derived from implementation and version. */
    List<String> abis = new ArrayList<>();
    /** Platform tags; default manylinux2014_x86_64. */
    List<String> platforms = new ArrayList<>();
    /** Marker variables to override, e.g. platform_release. */
    Map<String, String> markerEnvironment;
    /** Packages the cluster already has, name==version; never bundled. */
    List<String> provided = new ArrayList<>();
    /** The cluster's interpreter command that bin/python of the environment archive runs (default python3). */
    String interpreter;
    /** A probe.py output describing the cluster: the whole target, and its installed packages as provided. */
    java.io.File environmentFile;
    /** Packages environmentFile lists installed that are bundled all the same (names only). */
    List<String> ignoreProvidedFromProbe = new ArrayList<>();
    /**
     * A relocatable CPython to ship in the environment archive (python-build-standalone install_only layout): a
     * file path, an https URL (then pythonArchiveSha256 is required), or groupId:artifactId:version[:type[:classifier]]
     * resolved from the project's repositories (type default tar.gz).
     */
    String pythonArchive;
    /** The sha256 of pythonArchive: required for a URL, checked when given for a file or artifact. */
    String pythonArchiveSha256;
    /**
     * Packages whose native code may need more than the target's platform provides (a newer glibc, a library the
     * nodes lack): a warning instead of an error, after checking by hand that the nodes can load it.
     */
    List<String> allowNativeMismatch = new ArrayList<>();
    /** Whether pyspark and py4j come with Spark (default true). */
    boolean sparkProvided = true;
}

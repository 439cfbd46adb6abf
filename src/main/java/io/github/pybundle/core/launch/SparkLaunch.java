package io.github.pybundle.core.launch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One way to run the application on Spark, as data: rendered into {@code spark-submit.sh}, {@code launch.json},
 * {@code livy-batch.json} and {@code spark-application.yaml}.
 *
 * <p>Paths are either relative to the launcher's directory (local builds) or remote URLs under {@code remoteDir}.
 *
 * @param name the application name
 * @param master the master URL ({@code local[*]}, {@code yarn}, {@code spark://host:7077}, {@code k8s://...})
 * @param deployMode {@code client} or {@code cluster}
 * @param main the main script
 * @param pyFiles the py-files zip(s)
 * @param environment the environment archive, or null
 * @param environmentSha256 its sha256 (the key of the local unpack cache), or null
 * @param files extra files ({@code --files})
 * @param conf Spark configuration, in order
 * @param args application arguments given at build time (arguments given to the script follow them)
 * @param remote whether the paths are remote (then the local copies are uploaded by hand)
 * @param jars JARs for the driver's and executors' class path ({@code --jars})
 */
public record SparkLaunch(String name, String master, String deployMode, String main, List<String> pyFiles,
                          String environment, String environmentSha256, List<String> files, Map<String, String> conf,
                          List<String> args, boolean remote, List<String> jars) {
    /** The alias the archive is unpacked under in each executor's working directory. */
    public static final String ENV_ALIAS = "environment";

    public SparkLaunch {
        pyFiles = List.copyOf(pyFiles);
        files = List.copyOf(files);
        conf = new LinkedHashMap<>(conf);
        args = List.copyOf(args);
        jars = jars == null ? List.of() : List.copyOf(jars);
    }

    /** A launch that ships no JAR. */
    public SparkLaunch(String name, String master, String deployMode, String main, List<String> pyFiles,
                       String environment, String environmentSha256, List<String> files, Map<String, String> conf,
                       List<String> args, boolean remote) {
        this(name, master, deployMode, main, pyFiles, environment, environmentSha256, files, conf, args, remote,
                List.of());
    }

    /** Whether the master is YARN (Livy's {@code archives} field only works there). */
    public boolean isYarn() {
        return master.equals("yarn") || master.startsWith("yarn-");
    }

    /**
     * The configuration Spark needs for the environment: executors run {@code ./environment/bin/python} from their
     * working directory, where {@code --archives} unpacks the archive (YARN, Kubernetes, standalone). The driver of
     * client and local mode is handled by the launcher (it cannot see that directory).
     */
    public Map<String, String> effectiveConf() {
        Map<String, String> c = new LinkedHashMap<>(conf);
        if (environment != null && !c.containsKey("spark.pyspark.python")) {
            c.put("spark.pyspark.python", "./" + ENV_ALIAS + "/bin/python");
        }
        return c;
    }
}

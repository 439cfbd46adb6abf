package io.github.pybundle.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.net.NetUtils;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.log4j.FileAppender;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.apache.log4j.PatternLayout;

/**
 * A real HDFS (one NameNode, one DataNode) and YARN (one ResourceManager, one NodeManager) in this JVM, every server
 * bound to 127.0.0.1, sized for a small machine, with the client configuration (core-site.xml, hdfs-site.xml,
 * yarn-site.xml) written to a directory that an external {@code spark-submit} reads as {@code HADOOP_CONF_DIR}.
 *
 * <p>Needs the JVM flags of the pom's {@code hadoop.argLine} property on Java 17; docs/testing.md explains each
 * setting.
 */
public final class HadoopMiniCluster implements AutoCloseable {
    /** The only address any server binds to or advertises. */
    public static final String LOOPBACK = "127.0.0.1";

    /** How much the NodeManager offers to containers. */
    public record Resources(int memoryMb, int vcores, int minAllocationMb) {
        /**
         * 4 GiB and 4 vcores: an application master and two executors of 512 MiB heap (1 GiB containers once YARN
         * adds Spark's 384 MiB overhead and rounds to the minimum allocation). The vcores are YARN's accounting, not
         * this machine's cores.
         */
        public static Resources small() {
            return new Resources(4096, 4, 256);
        }
    }

    /** Held, or java.util.logging forgets its configuration when the logger is collected. */
    private static final java.util.logging.Logger SHADED_JUL = java.util.logging.Logger.getLogger(
            "org.apache.hadoop.shaded");

    private final MiniDFSCluster dfs;
    private final MiniYARNCluster yarn;
    private final Path configurationDirectory;
    private final URI hdfs;
    private final Duration startup;

    private HadoopMiniCluster(MiniDFSCluster dfs, MiniYARNCluster yarn, Path configurationDirectory, URI hdfs,
                              Duration startup) {
        this.dfs = dfs;
        this.yarn = yarn;
        this.configurationDirectory = configurationDirectory;
        this.hdfs = hdfs;
        this.startup = startup;
    }

    /**
     * Starts HDFS, then YARN on it, and writes the client configuration to {@code workDirectory/hadoop-conf}.
     * Everything lives under {@code workDirectory}: HDFS's blocks in {@code dfs}, the NodeManager's local and log
     * directories (container logs included) in {@code yarn/<name>}, the servers' log in {@code hadoop.log}.
     */
    public static HadoopMiniCluster start(String name, Path workDirectory, Resources resources) throws IOException {
        long begin = System.nanoTime();
        Files.createDirectories(workDirectory);
        logTo(workDirectory.resolve("hadoop.log"));
        Configuration dfsConfiguration = new Configuration();
        dfsConfiguration.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, workDirectory.resolve("dfs").toString());
        dfsConfiguration.setInt("dfs.replication", 1);
        // MiniDFSCluster binds the NameNode and the DataNode to 127.0.0.1 already. hosts() sets dfs.datanode.hostname,
        // the name the DataNode registers under (else "localhost"), which clients (the NodeManager's localizer)
        // connect to.
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(dfsConfiguration).numDataNodes(1).hosts(new String[] {LOOPBACK})
                .format(true).build();
        MiniYARNCluster yarn = null;
        try {
            dfs.waitActive();
            URI hdfs = URI.create("hdfs://" + LOOPBACK + ":" + dfs.getNameNodePort());

            YarnConfiguration yarnConfiguration = new YarnConfiguration(dfsConfiguration);
            FileSystem.setDefaultUri(yarnConfiguration, hdfs);
            configureYarn(yarnConfiguration, resources);
            // MiniYARNCluster puts the NodeManager's directories under this JVM-wide property (default target/test/data).
            System.setProperty("test.build.data", workDirectory.resolve("yarn").toString());
            yarn = new MiniYARNCluster(name, 1, 1, 1);
            yarn.init(yarnConfiguration);
            bindNodeManagerToLoopback(yarn);
            yarn.start();
            awaitResourceManagerAddress(yarn.getConfig());
            if (!yarn.waitForNodeManagersToConnect(60_000)) {
                throw new IOException("The NodeManager did not register with the ResourceManager within 60 s");
            }

            Path configurationDirectory = workDirectory.resolve("hadoop-conf");
            writeClientConfiguration(configurationDirectory, hdfs, yarn.getConfig());
            return new HadoopMiniCluster(dfs, yarn, configurationDirectory, hdfs,
                    Duration.ofNanos(System.nanoTime() - begin));
        } catch (IOException | RuntimeException | Error e) {
            stopQuietly(yarn, dfs, e);
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            stopQuietly(yarn, dfs, e);
            throw new IOException("Could not start the mini cluster: " + e, e);
        }
    }

    /**
     * Hadoop's servers log through SLF4J and log4j 1 (reload4j), their shaded Jersey and Guice through
     * java.util.logging: all of it to one file, not the build's output.
     */
    private static void logTo(Path file) throws IOException {
        Logger root = Logger.getRootLogger();
        root.removeAllAppenders();
        root.addAppender(new FileAppender(new PatternLayout("%d{HH:mm:ss,SSS} %-5p [%t] %c{1}: %m%n"), file.toString(),
                false));
        root.setLevel(Level.INFO);
        SHADED_JUL.setUseParentHandlers(false);
        for (Handler handler : SHADED_JUL.getHandlers()) {
            SHADED_JUL.removeHandler(handler);
        }
        SHADED_JUL.addHandler(new Handler() {
            private final SimpleFormatter formatter = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                Level level = record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()
                        ? Level.WARN : Level.INFO;
                Logger.getLogger(record.getLoggerName()).log(level, formatter.formatMessage(record),
                        record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    private static void configureYarn(YarnConfiguration conf, Resources resources) {
        // "Fixed ports" only means: MiniYARNCluster keeps the ResourceManager addresses given here instead of
        // replacing them with <hostname>:0, and the hostname may resolve to another interface.
        conf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_FIXED_PORTS, true);
        conf.set(YarnConfiguration.RM_HOSTNAME, LOOPBACK);
        conf.set(YarnConfiguration.RM_BIND_HOST, LOOPBACK);
        for (String key : List.of(YarnConfiguration.RM_ADDRESS, YarnConfiguration.RM_SCHEDULER_ADDRESS,
                YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS, YarnConfiguration.RM_ADMIN_ADDRESS,
                YarnConfiguration.RM_WEBAPP_ADDRESS)) {
            conf.set(key, LOOPBACK + ":0");
        }
        conf.set("yarn.nodemanager.hostname", LOOPBACK);
        conf.set(YarnConfiguration.NM_BIND_HOST, LOOPBACK);

        conf.setInt("yarn.minicluster.yarn.nodemanager.resource.memory-mb", resources.memoryMb());
        conf.setInt(YarnConfiguration.NM_PMEM_MB, resources.memoryMb());
        conf.setInt(YarnConfiguration.NM_VCORES, resources.vcores());
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, resources.minAllocationMb());
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, resources.memoryMb());
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_VCORES, resources.vcores());
        // Containers are JVMs and Pythons whose virtual memory dwarfs their heap; nothing is enforced here.
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        // A nearly full disk would otherwise mark the local directories bad and the node unhealthy mid-test.
        conf.setBoolean(YarnConfiguration.NM_DISK_HEALTH_CHECK_ENABLE, false);
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
        // hadoop-client-minicluster has no capacity-scheduler.xml: one queue with everything.
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
        // A failed application master fails the application instead of starting a second attempt.
        conf.setInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, 1);
        // Containers are allocated on NodeManager heartbeats: the default 1 s makes each allocation wait.
        conf.setLong(YarnConfiguration.RM_NM_HEARTBEAT_INTERVAL_MS, 250);
        conf.setBoolean(YarnConfiguration.TIMELINE_SERVICE_ENABLED, false);
        // Container logs are kept by the NodeManager for yarn.nodemanager.log.retain-seconds (3 h) after the
        // application, which keeps the application alive in the NodeManager and makes its stop wait 7 s for it, then
        // 10 s for the pending deletion. Deleting at once, through a deletion service that waits an hour (and is
        // dropped on stop), ends applications promptly and still keeps the logs and the containers' working
        // directories for a failure message and a post-mortem.
        conf.setLong(YarnConfiguration.NM_LOG_RETAIN_SECONDS, 0);
        conf.setInt(YarnConfiguration.DEBUG_NM_DELETE_DELAY_SEC, 3600);
    }

    /**
     * MiniYARNCluster sets the NodeManager's addresses to {@code <hostname>:0} during {@code init}, whatever the
     * configuration says. The servers bind to {@code yarn.nodemanager.bind-host} (127.0.0.1); resetting the RPC
     * address before {@code start} makes the NodeId, which containers and executors use, name 127.0.0.1 too.
     */
    private static void bindNodeManagerToLoopback(MiniYARNCluster yarn) {
        Configuration nm = yarn.getNodeManager(0).getConfig();
        nm.set(YarnConfiguration.NM_ADDRESS, LOOPBACK + ":0");
        nm.set(YarnConfiguration.NM_LOCALIZER_ADDRESS, LOOPBACK + ":0");
        nm.set(YarnConfiguration.NM_WEBAPP_ADDRESS, LOOPBACK + ":0");
    }

    /** MiniYARNCluster.start can return before the ResourceManager wrote its bound port into the configuration. */
    private static void awaitResourceManagerAddress(Configuration conf) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (conf.get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            if (System.nanoTime() > deadline) {
                throw new IOException("The ResourceManager did not publish its address within 30 s");
            }
            Thread.sleep(50);
        }
    }

    /** Only what a client needs, all of it 127.0.0.1: the file system, and the ResourceManager's endpoints. */
    private static void writeClientConfiguration(Path directory, URI hdfs, Configuration yarn) throws IOException {
        Files.createDirectories(directory);
        write(directory.resolve("core-site.xml"), Map.of("fs.defaultFS", hdfs.toString()));
        write(directory.resolve("hdfs-site.xml"), Map.of("dfs.replication", "1"));
        write(directory.resolve("yarn-site.xml"), Map.of(
                YarnConfiguration.RM_HOSTNAME, LOOPBACK,
                YarnConfiguration.RM_ADDRESS, yarn.get(YarnConfiguration.RM_ADDRESS),
                YarnConfiguration.RM_SCHEDULER_ADDRESS, yarn.get(YarnConfiguration.RM_SCHEDULER_ADDRESS),
                YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS, yarn.get(YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS),
                YarnConfiguration.RM_ADMIN_ADDRESS, yarn.get(YarnConfiguration.RM_ADMIN_ADDRESS),
                YarnConfiguration.RM_WEBAPP_ADDRESS, yarn.get(YarnConfiguration.RM_WEBAPP_ADDRESS)));
    }

    private static void write(Path file, Map<String, String> properties) throws IOException {
        Configuration conf = new Configuration(false);
        properties.forEach((key, value) -> conf.set(key, value, "pybundle HadoopMiniCluster"));
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }

    /** The directory for {@code HADOOP_CONF_DIR} and {@code YARN_CONF_DIR}. */
    public Path configurationDirectory() {
        return configurationDirectory;
    }

    /** {@code hdfs://127.0.0.1:PORT}, the default file system of the written configuration. */
    public URI hdfs() {
        return hdfs;
    }

    /** A client of this HDFS (the caller closes it). */
    public FileSystem fileSystem() throws IOException {
        return FileSystem.newInstance(hdfs, dfs.getConfiguration(0));
    }

    /** The time {@link #start} took. */
    public Duration startup() {
        return startup;
    }

    /** The NameNode's RPC address. */
    public InetSocketAddress nameNodeAddress() {
        return dfs.getNameNode().getNameNodeAddress();
    }

    /** The address the DataNode registered with the NameNode (where clients read and write blocks). */
    public InetSocketAddress dataNodeAddress() {
        DataNode dataNode = dfs.getDataNodes().get(0);
        return NetUtils.createSocketAddr(dataNode.getDatanodeId().getXferAddr());
    }

    /** The host the DataNode registered under. */
    public String dataNodeHostName() {
        return dfs.getDataNodes().get(0).getDatanodeId().getHostName();
    }

    /** The ResourceManager's client address, as written to yarn-site.xml. */
    public InetSocketAddress resourceManagerAddress() {
        return NetUtils.createSocketAddr(yarn.getConfig().get(YarnConfiguration.RM_ADDRESS));
    }

    /** The NodeManager's id: the host and port containers and the ResourceManager know it by. */
    public NodeId nodeManagerId() {
        return yarn.getNodeManager(0).getNMContext().getNodeId();
    }

    /** The NodeManager's local directories, where it localizes resources (its public cache is {@code filecache}). */
    public List<Path> nodeManagerLocalDirectories() {
        return yarn.getNodeManager(0).getConfig().getTrimmedStringCollection(YarnConfiguration.NM_LOCAL_DIRS)
                .stream().map(Path::of).toList();
    }

    /** The NodeManager's log directories: {@code <dir>/<application>/<container>/stdout, stderr}. */
    public List<Path> nodeManagerLogDirectories() {
        return yarn.getNodeManager(0).getConfig().getTrimmedStringCollection(YarnConfiguration.NM_LOG_DIRS)
                .stream().map(Path::of).toList();
    }

    /**
     * The last {@code lines} lines of every log file (stdout, stderr, …) of every container of the application,
     * for a failure message: in cluster deploy mode the driver's output is only there.
     */
    public String containerLogs(String applicationId, int lines) {
        StringBuilder text = new StringBuilder();
        for (Path directory : nodeManagerLogDirectories()) {
            Path application = directory.resolve(applicationId);
            if (!Files.isDirectory(application)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(application)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
                    text.append("==> ").append(application.relativize(file)).append(" <==\n");
                    all.subList(Math.max(0, all.size() - lines), all.size())
                            .forEach(line -> text.append(line).append('\n'));
                }
            } catch (IOException | UncheckedIOException e) {
                text.append("(could not read ").append(application).append(": ").append(e).append(")\n");
            }
        }
        return text.isEmpty() ? "(no container logs for " + applicationId + ")" : text.toString();
    }

    /** Stops YARN, then HDFS. */
    @Override
    public void close() {
        stopQuietly(yarn, dfs, null);
    }

    private static void stopQuietly(MiniYARNCluster yarn, MiniDFSCluster dfs, Throwable failure) {
        try {
            if (yarn != null) {
                yarn.stop();
            }
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                throw e;
            }
        } finally {
            dfs.shutdown();
        }
    }
}

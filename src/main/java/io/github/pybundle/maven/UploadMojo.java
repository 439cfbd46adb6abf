package io.github.pybundle.maven;

import io.github.pybundle.core.app.UploadService;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Uploads the bundle to {@code <spark><remoteDir>}, each file to {@code sha256/<digest>/<file name>} under it, unless
 * it is there already (for CI pipelines that publish to the cluster's file system instead of submitting). It runs the
 * generated {@code spark-submit.sh} in upload-only mode, with the first of {@code hdfs dfs}, {@code hadoop fs} or
 * Hadoop's FsShell from {@code $SPARK_HOME/jars}, and {@code HADOOP_CONF_DIR} for the cluster's address. No default
 * phase: {@code mvn package pybundle:upload}.
 *
 * @since 0.2.0
 */
@Mojo(name = "upload", threadSafe = true)
public class UploadMojo extends AbstractPyBundleMojo {
    /**
     * Upload every file, even those already there.
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.upload.always", defaultValue = "false")
    protected boolean always;

    @Override
    protected void doExecute() throws Exception {
        new UploadService(listener()).upload(outputDirectory.toPath().resolve("pybundle"), always, System.getenv());
    }

    @Override
    protected String goal() {
        return "pybundle:upload";
    }
}

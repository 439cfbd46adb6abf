package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.launch.SparkLaunch;
import io.github.pybundle.core.launch.SparkSubmitScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pybundle:upload}: runs the launcher in upload-only mode and reports what it says. */
class UploadServiceTest {
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    private void launcher(String body) throws Exception {
        Path script = dir.resolve(SparkSubmitScript.FILE_NAME);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void upload_runsTheLauncherInUploadOnlyModeAndLogsItsLines() throws Exception {
        launcher("echo \"pybundle: uploaded app.zip (3 bytes) to hdfs:///a/sha256/x/app.zip mode=$PYBUNDLE_UPLOAD"
                + " only=$" + SparkSubmitScript.UPLOAD_ONLY + " conf=$HADOOP_CONF_DIR\"\n"
                + "echo 'a line of the Hadoop client'\n");
        new UploadService((level, m) -> log.add(level + " " + m)).upload(dir, false, Map.of("PATH", "/usr/bin:/bin",
                "HADOOP_CONF_DIR", "/etc/hadoop/conf"));
        assertEquals(List.of("INFO uploaded app.zip (3 bytes) to hdfs:///a/sha256/x/app.zip mode=auto only=1"
                + " conf=/etc/hadoop/conf", "DEBUG a line of the Hadoop client"), log);
        new UploadService((level, m) -> log.add(level + " " + m)).upload(dir, true, Map.of());
        assertTrue(log.get(2).contains("mode=always"), log.toString());
    }

    @Test
    void upload_saysWhatIsWrong() throws Exception {
        PyBundleException missing = assertThrows(PyBundleException.class, () -> new UploadService((l, m) -> { })
                .upload(dir, false, Map.of()));
        assertTrue(missing.getMessage().startsWith("there is nothing to upload: "), missing.getMessage());

        // A real launcher without a remote directory.
        new SparkSubmitScript(new SparkLaunch("app", "local[*]", "client", "main.py", List.of("app.zip"), null, null,
                List.of(), Map.of(), List.of(), false), null, "test").write(dir.resolve(SparkSubmitScript.FILE_NAME));
        InvalidConfigurationException local = assertThrows(InvalidConfigurationException.class,
                () -> new UploadService((l, m) -> { }).upload(dir, false, Map.of("PATH", "/usr/bin:/bin")));
        assertEquals("{!upload} has nothing to upload: the launch refers to the files beside it", local.getMessage());

        launcher("echo 'put: Permission denied: user=app, access=WRITE' >&2\nexit 1\n");
        PyBundleException failed = assertThrows(PyBundleException.class, () -> new UploadService((l, m) -> { })
                .upload(dir, false, Map.of()));
        assertEquals("the upload failed (exit status 1):\nput: Permission denied: user=app, access=WRITE",
                failed.getMessage());
        assertEquals(PyBundleException.Kind.ENVIRONMENT, failed.kind());
    }
}

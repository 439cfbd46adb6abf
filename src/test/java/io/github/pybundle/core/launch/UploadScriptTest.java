package io.github.pybundle.core.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.spec.dist.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's upload to a remote directory, run against a stand-in Hadoop client: a shell script that keeps the
 * "remote" file system in a local directory and logs every command it is given (each is a JVM start with the real
 * one, so their number matters), and a stand-in spark-submit that prints its arguments.
 */
class UploadScriptTest {
    private static final String REMOTE = "hdfs:///apps/app";
    // hdfs dfs, hadoop fs and java ... FsShell all end in the same handler; the log line says which was used.
    private static final String FS = "#!/bin/sh\n"
            + "log=\"$FAKE_FS/../fs.log\"\n"
            + "case \"$(basename \"$0\")\" in\n"
            + "  hdfs) [ \"$1\" = dfs ] && shift; via=hdfs ;;\n"
            + "  hadoop) [ \"$1\" = fs ] && shift; via=hadoop ;;\n"
            + "  java) via=\"java $1 $2 $3\"; shift 3 ;;\n"
            + "esac\n"
            + "echo \"$via $*\" >> \"$log\"\n"
            + "loc() { echo \"$FAKE_FS/${1#hdfs://}\"; }\n"
            + "cmd=$1; shift\n"
            + "case \"$cmd\" in\n"
            + "  -ls) rc=0; for p in \"$@\"; do case \"$p\" in -*) continue;; esac;"
            + " if [ -e \"$(loc \"$p\")\" ]; then echo \"hdfs://nn:8020${p#hdfs://}\"; else echo \"ls: $p: No such file\" >&2; rc=1; fi; done; exit $rc ;;\n"
            + "  -mkdir) for p in \"$@\"; do [ \"$p\" = -p ] || mkdir -p \"$(loc \"$p\")\"; done ;;\n"
            + "  -put) [ \"$1\" = -f ] && shift; cp \"$1\" \"$(loc \"$2\")\" ;;\n"
            + "  -chmod) for p in \"$@\"; do case \"$p\" in -R|a+rX|go-rwx|a+x) ;; *) [ -e \"$(loc \"$p\")\" ] || exit 1;; esac; done ;;\n"
            + "esac\n";

    @TempDir
    Path dir;
    private Path app;
    private Path fs;

    @BeforeEach
    void layout() throws IOException {
        app = Files.createDirectories(dir.resolve("app"));
        fs = Files.createDirectories(dir.resolve("fs"));
        Files.writeString(app.resolve("app-pyfiles.zip"), "zip v1");
        Files.writeString(app.resolve("app-pyenv.tar.gz"), "archive");
        Files.writeString(app.resolve("main.py"), "print(1)\n");
        Files.createDirectories(app.resolve("jars"));
        Files.writeString(app.resolve("jars/udf.jar"), "jar");
    }

    private List<SparkSubmitScript.Upload> uploads() throws IOException {
        List<SparkSubmitScript.Upload> out = new ArrayList<>();
        for (String f : List.of("app-pyfiles.zip", "app-pyenv.tar.gz", "main.py", "jars/udf.jar")) {
            out.add(SparkSubmitScript.Upload.of(f, REMOTE, Digests.sha256Hex(app.resolve(f))));
        }
        return out;
    }

    private Path script(boolean publicCache) throws IOException {
        List<SparkSubmitScript.Upload> u = uploads();
        SparkLaunch launch = new SparkLaunch("app", "yarn", "cluster", u.get(2).remote(), List.of(u.get(0).remote()),
                u.get(1).remote(), "ab".repeat(32), List.of(), Map.of(), List.of(), true, List.of(u.get(3).remote()));
        Path s = app.resolve("spark-submit.sh");
        new SparkSubmitScript(launch, "app-pyenv.tar.gz", "pybundle test", u, publicCache).write(s);
        return s;
    }

    private void tool(Path bin, String name, String text) throws IOException {
        Files.createDirectories(bin);
        Path t = bin.resolve(name);
        Files.writeString(t, text);
        Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Result(int exit, String out, String err, List<String> fsCalls) {
    }

    private Result run(Map<String, String> env) throws Exception {
        Path log = dir.resolve("fs.log");
        Files.deleteIfExists(log);
        Path spark = dir.resolve("spark");
        tool(spark.resolve("bin"), "spark-submit", "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.createDirectories(spark.resolve("jars"));
        ProcessBuilder pb = new ProcessBuilder(app.resolve("spark-submit.sh").toString()).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", dir.resolve("bin") + ":/usr/bin:/bin");
        pb.environment().put("SPARK_HOME", spark.toString());
        pb.environment().put("FAKE_FS", fs.toString());
        pb.environment().putAll(new HashMap<>(env));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        return new Result(rc, out, err, Files.exists(log) ? Files.readAllLines(log) : List.of());
    }

    private Path remote(SparkSubmitScript.Upload u) {
        return fs.resolve(u.remote().substring("hdfs:///".length()));
    }

    @Test
    void auto_uploadsWhatIsMissingOnceThenNothing() throws Exception {
        tool(dir.resolve("bin"), "hdfs", FS);
        script(true);
        List<SparkSubmitScript.Upload> u = uploads();

        Result first = run(Map.of());
        assertEquals(0, first.exit(), first.err());
        for (SparkSubmitScript.Upload x : u) {
            assertEquals(Files.readString(app.resolve(x.local())), Files.readString(remote(x)), x.local());
            assertTrue(first.err().contains("pybundle: uploaded " + x.local() + " ("), first.err());
        }
        // One listing, one mkdir of the four directories, four puts, one chmod of them, one chmod of the parents.
        assertEquals(8, first.fsCalls().size(), first.fsCalls().toString());
        assertTrue(first.fsCalls().get(0).startsWith("hdfs -ls -C -d " + REMOTE + "/sha256/"), first.fsCalls().get(0));
        assertTrue(first.fsCalls().get(1).startsWith("hdfs -mkdir -p "), first.fsCalls().get(1));
        assertTrue(first.fsCalls().get(6).startsWith("hdfs -chmod -R a+rX " + REMOTE + "/sha256/"));
        assertEquals("hdfs -chmod a+x " + REMOTE + " " + REMOTE + "/sha256", first.fsCalls().get(7));
        // spark-submit gets the remote, content-addressed paths.
        assertTrue(first.out().contains("--py-files\n" + u.get(0).remote() + "\n"), first.out());
        assertTrue(first.out().contains("--archives\n" + u.get(1).remote() + "#environment\n"), first.out());
        assertTrue(first.out().contains("--jars\n" + u.get(3).remote() + "\n"), first.out());
        assertTrue(first.out().endsWith(u.get(2).remote() + "\n"), first.out());

        // The second submission of the same bundle: one listing, nothing uploaded.
        Result second = run(Map.of());
        assertEquals(0, second.exit(), second.err());
        assertEquals(1, second.fsCalls().size(), second.fsCalls().toString());
        for (SparkSubmitScript.Upload x : u) {
            assertTrue(second.err().contains("pybundle: already uploaded: " + x.remote() + "\n"), second.err());
        }

        // Only the Python code changed: only the zip goes up, to a new place; the archive stays where it was.
        Files.writeString(app.resolve("app-pyfiles.zip"), "zip v2");
        script(true);
        Result third = run(Map.of());
        assertEquals(0, third.exit(), third.err());
        assertEquals(List.of("uploaded app-pyfiles.zip"), third.err().lines().filter(l -> l.startsWith("pybundle:"
                + " uploaded")).map(l -> l.substring("pybundle: ".length(), l.indexOf(" (")).strip()).toList());
        assertEquals(5, third.fsCalls().size(), "ls, mkdir, put, chmod, chmod: " + third.fsCalls());
    }

    @Test
    void always_uploadsEverythingAndNever_uploadsNothing() throws Exception {
        tool(dir.resolve("bin"), "hdfs", FS);
        script(true);
        assertEquals(0, run(Map.of()).exit());
        Result always = run(Map.of("PYBUNDLE_UPLOAD", "always"));
        assertEquals(0, always.exit(), always.err());
        assertFalse(always.fsCalls().stream().anyMatch(c -> c.startsWith("hdfs -ls")), "no listing when forced");
        assertEquals(4, always.fsCalls().stream().filter(c -> c.startsWith("hdfs -put -f")).count());

        Files.writeString(app.resolve("app-pyfiles.zip"), "zip v2");
        script(true);
        Result never = run(Map.of("PYBUNDLE_UPLOAD", "never"));
        assertEquals(0, never.exit(), never.err());
        assertEquals(List.of(), never.fsCalls(), "files placed by someone else: no Hadoop client at all");
        assertTrue(never.out().contains(uploads().get(0).remote()), "still submits with the remote paths");

        Result typo = run(Map.of("PYBUNDLE_UPLOAD", "sometimes"));
        assertEquals(2, typo.exit());
        assertEquals("pybundle: PYBUNDLE_UPLOAD is 'sometimes'; use auto (upload what is missing), always or never\n",
                typo.err());
    }

    @Test
    void theHadoopClientIsHdfsElseHadoopElseFsShellFromSparksJars() throws Exception {
        script(true);
        tool(dir.resolve("bin"), "hadoop", FS);
        Result hadoop = run(Map.of("PYBUNDLE_UPLOAD_ONLY", "1"));
        assertEquals(0, hadoop.exit(), hadoop.err());
        assertTrue(hadoop.fsCalls().get(0).startsWith("hadoop -ls"), hadoop.fsCalls().toString());
        assertEquals("", hadoop.out(), "upload only: spark-submit is not run");

        // Neither command: Java runs Hadoop's FsShell from Spark's jars, with the cluster's configuration first.
        Files.delete(dir.resolve("bin/hadoop"));
        Files.walk(fs).sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(fs)).forEach(p ->
                p.toFile().delete());
        tool(dir.resolve("jdk/bin"), "java", FS);
        Result java = run(Map.of("PYBUNDLE_UPLOAD_ONLY", "1", "JAVA_HOME", dir.resolve("jdk").toString(),
                "HADOOP_CONF_DIR", "/etc/hadoop/conf"));
        assertEquals(0, java.exit(), java.err());
        assertEquals("java -cp /etc/hadoop/conf:" + dir.resolve("spark") + "/jars/* org.apache.hadoop.fs.FsShell",
                java.fsCalls().get(0).substring(0, java.fsCalls().get(0).indexOf(" -ls")));
        assertTrue(Files.isRegularFile(remote(uploads().get(1))), "uploaded through FsShell");

        // No client at all: said plainly.
        Files.delete(dir.resolve("jdk/bin/java"));
        Result none = run(Map.of("PYBUNDLE_UPLOAD", "always", "SPARK_HOME", dir.resolve("nothing").toString()));
        assertEquals(1, none.exit());
        assertTrue(none.err().startsWith("pybundle: cannot upload: no hdfs or hadoop command, and no Spark"
                + " (SPARK_HOME) whose jars hold Hadoop's client\n"), none.err());
    }

    @Test
    void privateCache_keepsTheFilesToTheirOwner() throws Exception {
        tool(dir.resolve("bin"), "hdfs", FS);
        script(false);
        Result r = run(Map.of("PYBUNDLE_UPLOAD_ONLY", "1"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.fsCalls().get(r.fsCalls().size() - 1).startsWith("hdfs -chmod -R go-rwx " + REMOTE), r.fsCalls()
                .toString());
        assertFalse(r.fsCalls().stream().anyMatch(c -> c.contains("a+")), "nothing made public");
    }

    @Test
    void uploadOnly_withoutARemoteDirectorySaysThereIsNothingToUpload() throws Exception {
        SparkLaunch local = new SparkLaunch("app", "local[*]", "client", "main.py", List.of("app-pyfiles.zip"), null,
                null, List.of(), Map.of(), List.of(), false);
        new SparkSubmitScript(local, null, "pybundle test").write(app.resolve("spark-submit.sh"));
        Result r = run(Map.of("PYBUNDLE_UPLOAD_ONLY", "1"));
        assertEquals(SparkSubmitScript.NOTHING_TO_UPLOAD, r.exit());
        assertEquals("pybundle: nothing to upload: this launch refers to the files beside it (set a remote directory"
                + " to upload them)\n", r.err());
    }
}

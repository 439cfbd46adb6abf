package io.github.pybundle.core.launch;

import io.github.pybundle.core.archive.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The launcher {@code spark-submit.sh}: a POSIX sh script that runs the application with {@code spark-submit}, its
 * py-files zip and environment archive, and passes its own arguments on to the application.
 *
 * <ul>
 *   <li>{@code PYBUNDLE_MASTER} and {@code PYBUNDLE_DEPLOY_MODE} override the configured master and deploy mode;</li>
 *   <li>executors run {@code ./environment/bin/python} from the archive Spark unpacks in their working directory;</li>
 *   <li>a driver on this machine (client and local mode) cannot see that directory: the script unpacks the archive
 *       once into a cache keyed by its sha256 and points {@code spark.pyspark.driver.python} (and in local mode,
 *       where Python workers run here too, {@code spark.pyspark.python}) at it;</li>
 *   <li>an inherited {@code PYTHONPATH} is cleared, and {@code PYSPARK_DRIVER_PYTHON} is never set.</li>
 * </ul>
 * Local paths are relative to the script's directory, so the whole build output can be moved and still run.
 *
 * @param launch what to run
 * @param localEnvironment the environment archive relative to the script's directory (for the driver's unpack), or
 *     null
 * @param generator who wrote the script, e.g. {@code pybundle 0.1.0}
 * @param uploads the files to upload before submitting (with a remote directory), in order
 * @param publicCache whether uploaded files are made world-readable, so that YARN localizes them as PUBLIC resources
 *     (each NodeManager downloads them once for all applications), or private to their owner
 */
public record SparkSubmitScript(SparkLaunch launch, String localEnvironment, String generator, List<Upload> uploads,
                                boolean publicCache) {
    /** The script's file name. */
    public static final String FILE_NAME = "spark-submit.sh";

    /** Set to anything, the script uploads and exits without submitting ({@code pybundle:upload} runs it so). */
    public static final String UPLOAD_ONLY = "PYBUNDLE_UPLOAD_ONLY";

    /** The script's exit status in upload-only mode when the launch has nothing remote. */
    public static final int NOTHING_TO_UPLOAD = 64;

    /**
     * A file of the application directory and where it goes: {@code <remoteDir>/sha256/<digest>/<file name>}, so that a
     * path names one content and an existing one never needs uploading again.
     *
     * @param local the file, relative to the launcher's directory
     * @param remote its remote URI
     * @param key {@code sha256/<digest>/<file name>}, what a listing of the remote directory shows for it
     */
    public record Upload(String local, String remote, String key) {
        /** The content-addressed place of a file of {@code sha256} under {@code remoteDir}. */
        public static Upload of(String local, String remoteDir, String sha256) {
            String name = local.substring(local.lastIndexOf('/') + 1);
            String key = "sha256/" + sha256 + "/" + name;
            return new Upload(local, remoteDir + "/" + key, key);
        }

        String directory() {
            return remote.substring(0, remote.lastIndexOf('/'));
        }
    }

    public SparkSubmitScript {
        uploads = uploads == null ? List.of() : List.copyOf(uploads);
    }

    /** A launcher that uploads nothing. */
    public SparkSubmitScript(SparkLaunch launch, String localEnvironment, String generator) {
        this(launch, localEnvironment, generator, List.of(), true);
    }

    private static String path(SparkLaunch l, String p) {
        return l.remote() ? ShellQuoting.quote(p) : "\"$here\"/" + ShellQuoting.quote(p);
    }

    /** The script's text. */
    public String render() {
        SparkLaunch l = launch;
        StringBuilder sb = new StringBuilder();
        sb.append("#!/bin/sh\n")
                .append("# Runs ").append(l.name().replace('\n', ' ')).append(" on Spark. Written by ").append(generator)
                .append("; rebuild instead of editing.\n")
                .append("# Usage: ").append(FILE_NAME).append(" [application arguments...]\n")
                .append("# PYBUNDLE_MASTER and PYBUNDLE_DEPLOY_MODE override the master (").append(l.master())
                .append(") and deploy mode (").append(l.deployMode()).append(").\n")
                .append("# spark-submit is taken from $SPARK_HOME/bin, else from PATH.\n")
                .append(uploads.isEmpty() ? "" : "# The files are uploaded to " + remoteDirectory() + " first, each"
                        + " to sha256/<digest>/<name>, when not there yet;\n# PYBUNDLE_UPLOAD=always uploads anyway,"
                        + " never skips it (the files are placed already).\n")
                .append("set -eu\n")
                .append("here=$(CDPATH= cd -- \"$(dirname -- \"$0\")\" && pwd)\n")
                .append("master=${PYBUNDLE_MASTER:-").append(ShellQuoting.quote(l.master())).append("}\n")
                .append("deploy_mode=${PYBUNDLE_DEPLOY_MODE:-").append(ShellQuoting.quote(l.deployMode()))
                .append("}\n");
        upload(sb);
        sb.append("if [ -n \"${SPARK_HOME:-}\" ]; then\n")
                .append("  spark_submit=\"$SPARK_HOME/bin/spark-submit\"\n")
                .append("  if [ ! -x \"$spark_submit\" ]; then\n")
                .append("    echo \"pybundle: $spark_submit is missing or not executable; check SPARK_HOME\" >&2\n")
                .append("    exit 127\n")
                .append("  fi\n")
                .append("elif command -v spark-submit >/dev/null 2>&1; then\n")
                .append("  spark_submit=spark-submit\n")
                .append("else\n")
                .append("  echo \"pybundle: spark-submit not found; set SPARK_HOME or put spark-submit on PATH\" >&2\n")
                .append("  exit 127\n")
                .append("fi\n")
                .append("unset PYTHONPATH # an inherited PYTHONPATH would shadow the bundle's packages\n");
        // Prepending with "set --" builds the command from its end: main and arguments first.
        List<String> tail = new ArrayList<>();
        tail.add(path(l, l.main()));
        l.args().forEach(a -> tail.add(ShellQuoting.quote(a)));
        sb.append("set -- ").append(String.join(" ", tail)).append(" \"$@\"\n");
        if (!l.files().isEmpty()) {
            sb.append("set -- --files ").append(joined(l, l.files())).append(" \"$@\"\n");
        }
        if (l.environment() != null) {
            sb.append("set -- --archives ").append(l.remote() ? ShellQuoting.quote(l.environment() + "#"
                    + SparkLaunch.ENV_ALIAS) : "\"$here\"/" + ShellQuoting.quote(l.environment() + "#"
                    + SparkLaunch.ENV_ALIAS)).append(" \"$@\"\n");
        }
        if (!l.pyFiles().isEmpty()) {
            sb.append("set -- --py-files ").append(joined(l, l.pyFiles())).append(" \"$@\"\n");
        }
        if (!l.jars().isEmpty()) {
            sb.append("set -- --jars ").append(joined(l, l.jars())).append(" \"$@\"\n");
        }
        if (l.environment() != null && localEnvironment != null) {
            unpackForLocalDriver(sb);
        }
        if (!l.pyFiles().isEmpty()) {
            // In YARN cluster mode the driver's pyspark tries to copy each spark.submit.pyFiles entry from the path
            // the client named (not there in the container) and warns "Failed to add file"; YARN has already put the
            // zip on the driver's PYTHONPATH, so the warning is noise: silenced for the driver's Python only.
            sb.append("case \"$master:$deploy_mode\" in\n")
                    .append("  yarn*:cluster) set -- --conf 'spark.yarn.appMasterEnv.PYTHONWARNINGS=ignore:Failed to")
                    .append(" add file:RuntimeWarning' \"$@\" ;;\n")
                    .append("esac\n");
        }
        if (l.environment() != null) {
            // The environment's bin/python runs $PYBUNDLE_PYTHON: one variable at launch reaches every process.
            sb.append("if [ -n \"${PYBUNDLE_PYTHON:-}\" ]; then\n")
                    .append("  set -- --conf \"spark.executorEnv.PYBUNDLE_PYTHON=$PYBUNDLE_PYTHON\"")
                    .append(" --conf \"spark.yarn.appMasterEnv.PYBUNDLE_PYTHON=$PYBUNDLE_PYTHON\" \"$@\"\n")
                    .append("fi\n");
        }
        List<Map.Entry<String, String>> conf = new ArrayList<>(l.effectiveConf().entrySet());
        for (int i = conf.size() - 1; i >= 0; i--) {
            sb.append("set -- --conf ").append(ShellQuoting.quote(conf.get(i).getKey() + "=" + conf.get(i).getValue()))
                    .append(" \"$@\"\n");
        }
        sb.append("exec \"$spark_submit\" --master \"$master\" --deploy-mode \"$deploy_mode\" --name ")
                .append(ShellQuoting.quote(l.name())).append(" \"$@\"\n");
        return sb.toString();
    }

    private String remoteDirectory() {
        String r = uploads.get(0).remote();
        return r.substring(0, r.length() - uploads.get(0).key().length() - 1);
    }

    /*
     * The upload: one listing of every remote path (a JVM start each time the Hadoop client runs, so few runs), one
     * mkdir of the missing files' directories, one put per missing file (put writes <name>._COPYING_ and renames it:
     * a concurrent submission never sees half a file), one chmod. The Hadoop client is the first of hdfs, hadoop, or
     * Hadoop's FsShell from Spark's own jars (pip's pyspark ships them), so an edge node with only Spark works.
     */
    private void upload(StringBuilder sb) {
        if (uploads.isEmpty()) {
            sb.append("if [ -n \"${").append(UPLOAD_ONLY).append(":-}\" ]; then\n")
                    .append("  echo \"pybundle: nothing to upload: this launch refers to the files beside it (set a")
                    .append(" remote directory to upload them)\" >&2\n")
                    .append("  exit ").append(NOTHING_TO_UPLOAD).append("\n")
                    .append("fi\n");
            return;
        }
        sb.append("upload=${PYBUNDLE_UPLOAD:-auto}\n")
                .append("case \"$upload\" in\n")
                .append("  auto|always|never) ;;\n")
                .append("  *) echo \"pybundle: PYBUNDLE_UPLOAD is '$upload'; use auto (upload what is missing),")
                .append(" always or never\" >&2; exit 2 ;;\n")
                .append("esac\n")
                .append("pybundle_spark_home() {\n")
                .append("  if [ -n \"${SPARK_HOME:-}\" ]; then echo \"$SPARK_HOME\"; return; fi\n")
                .append("  d=$(dirname -- \"$(command -v spark-submit 2>/dev/null || echo /nonexistent/x)\")\n")
                .append("  if [ -d \"$d/../jars\" ]; then (cd -- \"$d/..\" && pwd)\n")
                .append("  elif [ -f \"$d/find_spark_home.py\" ]; then\n")
                .append("    if [ -x \"$d/python3\" ]; then \"$d/python3\" \"$d/find_spark_home.py\"; else python3")
                .append(" \"$d/find_spark_home.py\"; fi\n")
                .append("  fi\n")
                .append("}\n")
                .append("pybundle_fs() {\n")
                .append("  if command -v hdfs >/dev/null 2>&1; then hdfs dfs \"$@\"\n")
                .append("  elif command -v hadoop >/dev/null 2>&1; then hadoop fs \"$@\"\n")
                .append("  else\n")
                .append("    sh_home=$(pybundle_spark_home)\n")
                .append("    if [ -z \"$sh_home\" ] || [ ! -d \"$sh_home/jars\" ]; then\n")
                .append("      echo \"pybundle: cannot upload: no hdfs or hadoop command, and no Spark (SPARK_HOME)")
                .append(" whose")
                .append(" jars hold Hadoop's client\" >&2\n")
                .append("      return 127\n")
                .append("    fi\n")
                .append("    \"${JAVA_HOME:+$JAVA_HOME/bin/}java\" -cp")
                .append(" \"${HADOOP_CONF_DIR:+$HADOOP_CONF_DIR:}${YARN_CONF_DIR:+$YARN_CONF_DIR:}$sh_home/jars/*\"")
                .append(" org.apache.hadoop.fs.FsShell \"$@\"\n")
                .append("  fi\n")
                .append("}\n")
                // Runs mkdir or chmod once on the directories whose flag is 1 (arguments: op, then flag/dir pairs).
                .append("pybundle_fs_new() {\n")
                .append("  op=$1; shift\n")
                .append("  n=$(($# / 2)); i=0\n")
                .append("  while [ \"$i\" -lt \"$n\" ]; do\n")
                .append("    if [ \"$1\" = 1 ]; then set -- \"$@\" \"$2\"; fi\n")
                .append("    shift 2; i=$((i + 1))\n")
                .append("  done\n")
                .append("  [ \"$#\" -gt 0 ] || return 0\n")
                .append("  if [ \"$op\" = mkdir ]; then pybundle_fs -mkdir -p \"$@\"; else pybundle_fs -chmod -R ")
                .append(publicCache ? "a+rX" : "go-rwx").append(" \"$@\"; fi\n")
                .append("}\n")
                .append("pybundle_put() {\n")
                .append("  pybundle_fs -put -f \"$here/$1\" \"$2\" || {\n")
                .append("    echo \"pybundle: could not upload $here/$1 to $2 (PYBUNDLE_UPLOAD=never submits without")
                .append(" uploading)\" >&2\n")
                .append("    exit 1\n")
                .append("  }\n")
                .append("  echo \"pybundle: uploaded $1 ($(wc -c < \"$here/$1\" | tr -d ' ') bytes) to $2\" >&2\n")
                .append("}\n")
                .append("if [ \"$upload\" != never ]; then\n")
                .append("  there=\n")
                .append("  if [ \"$upload\" = auto ]; then\n")
                .append("    there=$(pybundle_fs -ls -C -d");
        for (Upload u : uploads) {
            sb.append(' ').append(ShellQuoting.quote(u.remote()));
        }
        sb.append(" 2>/dev/null || true)\n")
                .append("  fi\n");
        for (int i = 0; i < uploads.size(); i++) {
            Upload u = uploads.get(i);
            sb.append("  case \"$there\" in *").append(ShellQuoting.quote("/" + u.key()))
                    .append("*) up").append(i).append("= ;; *) up").append(i).append("=1 ;; esac\n");
        }
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < uploads.size(); i++) {
            pairs.append(" \"$up").append(i).append("\" ").append(ShellQuoting.quote(uploads.get(i).directory()));
        }
        sb.append("  pybundle_fs_new mkdir").append(pairs).append(" || {\n")
                .append("    echo \"pybundle: could not create the upload directories under ")
                .append(remoteDirectory().replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`"))
                .append("\" >&2\n")
                .append("    exit 1\n")
                .append("  }\n");
        for (int i = 0; i < uploads.size(); i++) {
            Upload u = uploads.get(i);
            sb.append("  if [ \"$up").append(i).append("\" = 1 ]; then pybundle_put ").append(ShellQuoting.quote(
                    u.local())).append(' ').append(ShellQuoting.quote(u.remote())).append("; else echo")
                    .append(" \"pybundle: already uploaded: \"").append(ShellQuoting.quote(u.remote()))
                    .append(" >&2; fi\n");
        }
        sb.append("  pybundle_fs_new chmod").append(pairs).append(" || echo \"pybundle: could not set the uploaded")
                .append(" files' permissions\" >&2\n");
        if (publicCache) {
            // YARN shares a file between applications (PUBLIC visibility) only when every directory above it can be
            // traversed by all; the remote directory may belong to someone else, so a failure is only reported.
            String dir = remoteDirectory();
            sb.append("  case \"");
            for (int i = 0; i < uploads.size(); i++) {
                sb.append("$up").append(i);
            }
            sb.append("\" in *1*) pybundle_fs -chmod a+x ").append(ShellQuoting.quote(dir)).append(' ')
                    .append(ShellQuoting.quote(dir + "/sha256")).append(" >/dev/null 2>&1 || echo \"pybundle: note:")
                    .append(" could not make ").append(dir.replace("\"", "\\\"").replace("$", "\\$").replace("`",
                    "\\`")).append(" traversable by all; YARN shares the files between applications only when every")
                    .append(" directory above them is\" >&2 ;; esac\n");
        }
        sb.append("fi\n")
                .append("if [ -n \"${").append(UPLOAD_ONLY).append(":-}\" ]; then exit 0; fi\n");
    }

    /** How many unpacked environments the launcher keeps (the newest by last use), unless the variable says. */
    public static final String KEEP_ENVIRONMENTS = "PYBUNDLE_KEEP_ENVIRONMENTS";

    /** The default of {@link #KEEP_ENVIRONMENTS}. */
    public static final int DEFAULT_KEEP_ENVIRONMENTS = 3;

    /*
     * A driver on this machine (client mode, and everything in local mode) cannot see ./environment: unpack the
     * archive once into a cache keyed by its digest and point the driver (and local Python workers) at it.
     *
     * Each digest leaves an unpacked environment (hundreds of megabytes), so the launcher keeps the newest few by last
     * use (it touches its own) and removes older ones, never one in use. In use means marked: before it looks at its
     * environment, each launcher creates <digest>.inuse.<host>.<pid> beside it, with its own process id, which exec
     * hands on to spark-submit and the JVM: the mark is live exactly as long as the application runs (a trap would not
     * run after exec, nor after kill -9). A mark whose process is gone is stale and removed; a mark of another host
     * (a cache in a home directory shared between machines) cannot be checked and counts as live. A remover renames
     * the environment away first and looks at the marks again, so a launcher that marked it meanwhile keeps it.
     */
    private void unpackForLocalDriver(StringBuilder sb) {
        boolean zip = localEnvironment.endsWith(".zip");
        sb.append("if [ \"$deploy_mode\" = client ]; then\n")
                .append("  env_archive=\"$here\"/").append(ShellQuoting.quote(localEnvironment)).append("\n")
                .append("  env_root=${PYBUNDLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pybundle}/environments\n")
                .append("  env_dir=$env_root/").append(launch.environmentSha256()).append("\n")
                .append("  keep=${").append(KEEP_ENVIRONMENTS).append(":-").append(DEFAULT_KEEP_ENVIRONMENTS)
                .append("}\n")
                .append("  case \"$keep\" in\n")
                .append("    ''|*[!0-9]*) echo \"pybundle: ").append(KEEP_ENVIRONMENTS).append(" is '$keep'; give")
                .append(" how many unpacked environments to keep (a number, default ")
                .append(DEFAULT_KEEP_ENVIRONMENTS).append(")\" >&2; exit 2 ;;\n")
                .append("  esac\n")
                .append("  host=$(uname -n 2>/dev/null | tr -cd 'A-Za-z0-9.-'); host=${host:-localhost}\n")
                .append("  mkdir -p \"$env_root\"\n")
                .append("  : > \"$env_dir.inuse.$host.$$\" 2>/dev/null || : # in use while this process (after exec,")
                .append(" spark-submit) runs\n")
                .append("  if [ ! -x \"$env_dir/bin/python\" ]; then\n")
                .append("    tmp=\"$env_dir.tmp.$host.$$\"\n")
                .append("    mkdir -p \"$tmp\"\n")
                .append(zip ? "    (cd \"$tmp\" && unzip -q \"$env_archive\") && chmod -R u+rwX \"$tmp\" && chmod +x"
                        + " \"$tmp\"/bin/*\n"
                        : "    tar xzf \"$env_archive\" -C \"$tmp\"\n")
                .append("    mv \"$tmp\" \"$env_dir\" 2>/dev/null || rm -rf \"$tmp\"\n")
                .append("  fi\n")
                .append("  touch \"$env_dir\" 2>/dev/null || : # its last use: the newest are kept\n")
                .append(PRUNE)
                .append("  pybundle_prune \"$env_root\" \"$keep\" || :\n")
                .append("  set -- --conf \"spark.pyspark.driver.python=$env_dir/bin/python\" \"$@\"\n")
                .append("  case \"$master\" in\n")
                .append("    local*) set -- --conf \"spark.pyspark.python=$env_dir/bin/python\" \"$@\" ;;\n")
                .append("  esac\n")
                .append("fi\n");
    }

    // The pruning of unpacked environments, in the environments directory (names: <digest>,
    // <digest>.inuse.<host>.<pid>, <digest>.tmp.<host>.<pid> while unpacking, <digest>.prune.<host>.<pid> while
    // removing). Errors never stop the launch. A process of another user is alive too: kill -0 fails for it, /proc or
    // ps sees it.
    private static final String PRUNE = ""
            + "  pybundle_alive() {\n"
            + "    kill -0 \"$1\" 2>/dev/null || [ -d \"/proc/$1\" ] || ps -p \"$1\" >/dev/null 2>&1\n"
            + "  }\n"
            // Whether a file named <prefix>.<host>.<pid> belongs to a process of this host that is gone.
            + "  pybundle_stale() {\n"
            + "    p=${1##*.}; h=${1%.*}; h=${h#\"$2\"}\n"
            + "    case \"$p\" in ''|*[!0-9]*) return 1 ;; esac\n"
            + "    [ \"$h\" = \"$host\" ] && ! pybundle_alive \"$p\"\n"
            + "  }\n"
            + "  pybundle_in_use() {\n"
            + "    for m in \"$1\".inuse.*; do\n"
            + "      [ -e \"$m\" ] || continue\n"
            + "      if pybundle_stale \"$m\" \"$1.inuse.\"; then rm -f \"$m\"; else return 0; fi\n"
            + "    done\n"
            + "    return 1\n"
            + "  }\n"
            + "  pybundle_prune() (\n"
            + "    set +e\n"
            + "    cd \"$1\" 2>/dev/null || exit 0\n"
            + "    n=0\n"
            + "    ls -t | while IFS= read -r d; do\n"
            + "      case \"$d\" in\n"
            + "        *.inuse.*) pybundle_stale \"$d\" \"${d%%.inuse.*}.inuse.\" && rm -f \"$d\" ;;\n"
            + "        *.tmp.*) pybundle_stale \"$d\" \"${d%%.tmp.*}.tmp.\" && rm -rf \"$d\" ;;\n"
            + "        *.prune.*) pybundle_stale \"$d\" \"${d%%.prune.*}.prune.\" && {\n"
            + "            chmod -R u+w \"$d\"; rm -rf \"$d\"; } ;;\n"
            + "        *[!0-9a-f]*) ;;\n"
            + "        " + "?".repeat(64) + ")\n" // a digest's 64 hex digits: an unpacked environment
            + "          [ -d \"$d\" ] || continue\n"
            + "          n=$((n + 1))\n"
            + "          [ \"$n\" -gt \"$2\" ] || continue\n"
            + "          ! pybundle_in_use \"$d\" || continue\n"
            + "          gone=\"$d.prune.$host.$$\"\n"
            + "          mv \"$d\" \"$gone\" 2>/dev/null || continue\n"
            + "          if pybundle_in_use \"$d\" && [ ! -e \"$d\" ]; then mv \"$gone\" \"$d\"; continue; fi\n"
            + "          chmod -R u+w \"$gone\" 2>/dev/null\n"
            + "          rm -rf \"$gone\"\n"
            + "          echo \"pybundle: removed the unpacked environment $1/$d, not used lately (the newest $2 are"
            + " kept: " + KEEP_ENVIRONMENTS + ")\" >&2\n"
            + "          ;;\n"
            + "      esac\n"
            + "    done\n"
            + "  )\n";

    private static String joined(SparkLaunch l, List<String> paths) {
        if (l.remote()) {
            return ShellQuoting.quote(String.join(",", paths));
        }
        // Local paths are absolute at run time; join them with commas inside one word.
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < paths.size(); i++) {
            String p = paths.get(i);
            // Relative paths are the bundle's own files, beside the launcher; an absolute one (an extra file the
            // build resolved) stays as it is.
            sb.append(i == 0 ? "" : ",").append(p.startsWith("/") ? "" : "$here/").append(p.replace("\\", "\\\\")
                    .replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`"));
        }
        return sb.append('"').toString();
    }

    /** Writes the script to {@code target} (atomically) and makes it executable. */
    public void write(Path target) throws IOException {
        AtomicFile.write(target, temp -> {
            Files.write(temp, render().getBytes(StandardCharsets.UTF_8));
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException e) {
                temp.toFile().setExecutable(true, false);
            }
        });
    }
}

package io.github.pybundle.core.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Checks a bundle the way a cluster will use it: the environment archive unpacked into a directory of its own, the
 * py-files zip on {@code PYTHONPATH}, and every top-level module of both imported by a local interpreter of the
 * target's Python version through the archive's {@code bin/python}.
 */
public final class BundleVerifier {
    // Directories that packages ship by mistake and that are not meant to be imported.
    private static final Set<String> NOT_MODULES = Set.of("tests", "test", "testing", "docs", "doc", "examples",
            "benchmarks", "conftest", "setup", "bin", "include", "share", "lib", "__pycache__");

    private static final String IMPORT_ALL = String.join("\n",
            "import importlib, json, sys, traceback",
            "failures = {}",
            "for name in sys.argv[1:]:",
            "    try:",
            "        importlib.import_module(name)",
            "    except BaseException:",
            "        failures[name] = traceback.format_exc().strip().splitlines()[-1]",
            "print(json.dumps(failures))");

    // Each model loaded as the application would, with UserWarnings (scikit-learn's InconsistentVersionWarning, NumPy's
    // VisibleDeprecationWarning) raised as errors while it loads; a .joblib file through joblib.
    private static final String LOAD_ALL = String.join("\n",
            "import json, pickle, sys, traceback, warnings",
            "failures = {}",
            "for path in sys.argv[1:]:",
            "    try:",
            "        with warnings.catch_warnings():",
            "            warnings.simplefilter('error', UserWarning)",
            "            if path.endswith('.joblib'):",
            "                import joblib",
            "                joblib.load(path)",
            "            else:",
            "                with open(path, 'rb') as f:",
            "                    pickle.load(f)",
            "    except BaseException:",
            "        failures[path] = traceback.format_exc().strip().splitlines()[-1]",
            "print(json.dumps(failures))");

    private final BuildListener listener;

    public BundleVerifier(BuildListener listener) {
        this.listener = listener;
    }

    /** The top-level importable names of a py-files zip (directories and .py files at its root). */
    static Set<String> zipModules(Path zip) throws IOException {
        Set<String> names = new TreeSet<>();
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            for (ZipArchiveEntry e : java.util.Collections.list(z.getEntries())) {
                addTopLevel(names, e.getName());
            }
        }
        return names;
    }

    private static void addTopLevel(Set<String> names, String path) {
        int slash = path.indexOf('/');
        String top = slash < 0 ? path : path.substring(0, slash);
        if (slash < 0 && top.endsWith(".py")) {
            top = top.substring(0, top.length() - 3);
        } else if (slash < 0) {
            return; // a data file at the root
        }
        if (top.matches("[A-Za-z_][A-Za-z0-9_]*") && !NOT_MODULES.contains(top)) {
            names.add(top);
        }
    }

    /** Unpacks an environment archive (tar.gz or zip) into {@code dest}, keeping executable bits. */
    public static void unpack(Path archive, Path dest) throws IOException {
        boolean zip = archive.getFileName().toString().endsWith(".zip");
        try (InputStream raw = Files.newInputStream(archive);
             ArchiveInputStream<? extends ArchiveEntry> in = zip
                     ? new org.apache.commons.compress.archivers.zip.ZipArchiveInputStream(raw)
                     : new TarArchiveInputStream(GzipCompressorInputStream.builder().setInputStream(raw)
                             .setDecompressConcatenated(true).get())) { // the archive is a series of gzip members
            for (ArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                Path p = dest.resolve(e.getName()).normalize();
                if (!p.startsWith(dest)) {
                    throw new IOException("archive entry escapes: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                    continue;
                }
                Files.createDirectories(p.getParent());
                if (e instanceof TarArchiveEntry t && t.isSymbolicLink()) { // a shipped interpreter's links
                    Path to = p.getParent().resolve(t.getLinkName()).normalize();
                    if (t.getLinkName().startsWith("/") || !to.startsWith(dest)) {
                        throw new IOException("archive link escapes: " + e.getName() + " -> " + t.getLinkName());
                    }
                    Files.createSymbolicLink(p, Path.of(t.getLinkName()));
                    continue;
                }
                Files.copy(in, p);
                int mode = e instanceof TarArchiveEntry t ? t.getMode() : ((ZipArchiveEntry) e).getUnixMode();
                if ((mode & 0100) != 0) {
                    p.toFile().setExecutable(true, false);
                }
            }
        }
    }

    /**
     * Imports every top-level module of the bundle.
     *
     * @param python the local interpreter of the target's version
     * @param zip the py-files zip
     * @param env the environment archive unpacked ({@link #unpack}), or null
     * @param work the working directory
     * @throws PyBundleException naming every module that fails, with Python's error
     */
    public void importAll(Path python, Path zip, Path env, Path work) throws IOException {
        Set<String> modules = new TreeSet<>(zipModules(zip));
        if (env != null) {
            try (var s = Files.list(env.resolve("lib"))) {
                Path site = s.findFirst().orElseThrow().resolve("site-packages");
                try (var t = Files.list(site)) {
                    t.forEach(p -> addTopLevel(modules, site.relativize(p).toString() + (Files.isDirectory(p) ? "/"
                            : "")));
                }
            }
        }
        JsonNode failures = run(python, zip, env, work, IMPORT_ALL, List.copyOf(modules));
        if (failures.size() > 0) {
            List<String> lines = new ArrayList<>();
            failures.fields().forEachRemaining(f -> lines.add("  " + f.getKey() + ": " + f.getValue().asText()));
            throw new PyBundleException("importing the bundle with " + python + " failed for " + failures.size()
                    + " of " + modules.size() + " modules:\n" + String.join("\n", lines), List.of("a missing module"
                    + " means a missing requirement or a package the cluster must provide; fix the requirements and"
                    + " rebuild"));
        }
        listener.log(Level.INFO, "Verified: " + BuildListener.count(modules.size(), "module") + " import"
                + (modules.size() == 1 ? "s" : "") + " with " + python + " "
                + modules);
    }

    /**
     * Loads every model in the bundle's environment (the py-files zip on the path) with UserWarnings as errors:
     * scikit-learn's {@code InconsistentVersionWarning} for a model pickled with another version fails here, not on
     * the executors. Loading a pickle runs code: these are the project's own models, which the cluster loads too.
     *
     * @param models the model files (pickle, or joblib loaded with joblib)
     * @throws PyBundleException naming every model that fails to load, with Python's error
     */
    public void loadModels(Path python, Path zip, Path env, Path work, List<Path> models) throws IOException {
        if (models.isEmpty()) {
            return;
        }
        List<String> paths = models.stream().map(m -> m.toAbsolutePath().toString()).toList();
        JsonNode failures = run(python, zip, env, work, LOAD_ALL, paths);
        if (failures.size() > 0) {
            List<String> lines = new ArrayList<>();
            failures.fields().forEachRemaining(f -> lines.add("  " + Path.of(f.getKey()).getFileName() + ": "
                    + f.getValue().asText()));
            throw new PyBundleException("loading the models with " + python + " failed for " + failures.size()
                    + " of " + models.size() + " models (warnings are errors):\n" + String.join("\n", lines),
                    List.of("retrain the model with the bundle's versions, or pin the versions it was trained with"
                            + " in {@requirements} and lock again", "a missing module means a package the model"
                            + " needs that the bundle does not ship"));
        }
        listener.log(Level.INFO, "Verified: " + BuildListener.count(models.size(), "model") + " load"
                + (models.size() == 1 ? "s" : "") + " with " + python + " (warnings as errors) "
                + models.stream().map(m -> m.getFileName().toString()).toList());
    }

    // Runs a script that prints a JSON object of failures, with the bundle's interpreter and paths.
    private static JsonNode run(Path python, Path zip, Path env, Path work, String script, List<String> args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(env != null ? env.resolve("bin/python").toString() : python.toString());
        cmd.addAll(List.of("-c", script));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().put("PYTHONPATH", zip.toAbsolutePath().toString());
        pb.environment().put("PYBUNDLE_PYTHON", python.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = waitFor(p, 600);
        if (rc != 0) {
            throw new PyBundleException("the bundle's interpreter failed to start: " + (err + out).strip(),
                    List.of("run target/pybundle/spark-submit.sh's environment by hand to see more"));
        }
        return new ObjectMapper().readTree(out.strip().isEmpty() ? "{}" : out.strip().lines()
                .reduce((a, b) -> b).orElse("{}"));
    }

    /** Runs the application through the launcher on a local Spark; returns its output. */
    public String runLocally(Path launcher, Path sparkHome, Path python, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString()).redirectErrorStream(true);
        pb.environment().put("PYBUNDLE_MASTER", "local[2]");
        pb.environment().put("PYBUNDLE_DEPLOY_MODE", "client");
        pb.environment().put("PYBUNDLE_PYTHON", python.toString());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (waitFor(p, 1800) != 0) {
            String tail = String.join("\n", out.lines().skip(Math.max(0, out.lines().count() - 25)).toList());
            throw new PyBundleException("the application failed on a local Spark (local[2]):\n" + tail,
                    List.of("run " + launcher + " yourself to investigate, or set {@verify.runApplication}false"
                            + " when the application needs a real cluster or arguments"));
        }
        listener.log(Level.INFO, "Verified: the application ran on a local Spark (local[2]) through " + launcher);
        return out;
    }

    private static int waitFor(Process p, int seconds) throws IOException {
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + seconds + " s");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

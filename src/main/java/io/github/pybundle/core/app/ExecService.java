package io.github.pybundle.core.app;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.cache.CacheBucket;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.PhaseTimer;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.target.Interpreters;
import io.github.pybundle.core.target.PythonArchive;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.core.verify.BundleVerifier;
import java.io.File;
import io.github.pybundle.core.archive.FileTrees;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code exec} goal: runs a script in the bundle's own environment, the one the cluster will run. The bundle is
 * built (or reused) as the bundle goal builds it, except that models are not checked (retraining is how a model
 * mismatch is fixed); its environment archive is unpacked once into the cache, keyed by the archive's SHA-256; the
 * script runs with the shipped interpreter when there is one, else a local interpreter of the target's version, with
 * the project's source directory and the py-files zip on {@code PYTHONPATH}, from the project's directory.
 */
public final class ExecService {
    /** Environments kept in the cache besides the one in use: the most recently used ones. */
    static final int KEEP_ENVIRONMENTS = 4;

    private final BuildListener listener;
    private final PhaseTimer timer;
    private boolean jitFocus;

    public ExecService(BuildListener listener, PhaseTimer timer) {
        this.listener = listener;
        this.timer = timer;
    }

    /** As {@link BundleService#withJitFocus}, for the bundle this builds. */
    public ExecService withJitFocus(boolean focus) {
        this.jitFocus = focus;
        return this;
    }

    /**
     * What to run and where.
     *
     * @param bundle the bundle whose environment the script runs in (built without the model check)
     * @param args the script and its arguments, as {@code python} takes them ({@code train.py --out x},
     *     {@code -m pytest}, {@code -c "..."})
     * @param workingDirectory where the script runs: the project's directory, so relative paths are the project's
     * @param cacheRoot the cache, where environments are unpacked
     * @param interpreter the local interpreter to use when no interpreter is shipped, or null to find
     *     {@code pythonX.Y} of the target on PATH or in pyenv
     * @param env the environment variables of the build
     */
    public record Request(BundleService.Request bundle, List<String> args, Path workingDirectory, Path cacheRoot,
                          Path interpreter, Map<String, String> env) {
        public Request {
            args = List.copyOf(args);
            env = Map.copyOf(env);
        }
    }

    /** What ran: the command line and the unpacked environment (null when the bundle has none). */
    public record Outcome(List<String> command, Path environment) {
    }

    /** Builds the bundle's environment if needed and runs the script in it; fails when the script fails. */
    public Outcome exec(Request r, IndexSource sources) throws Exception {
        if (r.args().isEmpty()) {
            throw new InvalidConfigurationException("exec.args", "", "{#exec.args} is empty: there is no script to"
                    + " run", "give the script and its arguments, e.g. -Dpybundle.exec.args=\"train.py --out"
                    + " src/main/models/clf.pkl\", or -Dpybundle.exec.args=\"-m pytest src/test/python\"");
        }
        BundleService.Outcome bundle = new BundleService(listener, timer).withJitFocus(jitFocus).bundle(r.bundle().withoutModelCheck(),
                sources);
        Path environment = bundle.environmentArchive() == null ? null
                : timer.time("unpack", () -> unpacked(bundle.environmentArchive(), r.cacheRoot()));
        List<String> command = new ArrayList<>();
        Map<String, String> extra = new java.util.LinkedHashMap<>();
        boolean shipped = environment != null && Files.isDirectory(environment.resolve(PythonArchive.ROOT));
        if (shipped) {
            command.add(environment.resolve("bin/python").toString());
        } else {
            Path local = localInterpreter(r);
            if (environment != null) {
                command.add(environment.resolve("bin/python").toString()); // checks the version, adds site-packages
                extra.put("PYBUNDLE_PYTHON", local.toString());
            } else {
                command.add(local.toString());
            }
        }
        command.addAll(r.args());
        String path = r.bundle().sourceDirectory().toAbsolutePath() + File.pathSeparator
                + bundle.pyFilesZip().toAbsolutePath();
        extra.put("PYTHONPATH", path);
        extra.put("PYTHONNOUSERSITE", "1"); // the build machine's user site-packages are not the cluster's
        listener.log(Level.INFO, "Running " + String.join(" ", quoted(command)) + " in " + r.workingDirectory()
                + (environment == null ? "" : " (environment " + environment + ")") + " with PYTHONPATH=" + path);
        ProcessBuilder pb = new ProcessBuilder(command).directory(r.workingDirectory().toFile()).inheritIO();
        pb.environment().remove("PYTHONHOME");
        pb.environment().putAll(extra);
        Process p = pb.start();
        int rc;
        try {
            rc = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new PyBundleException("interrupted while running " + String.join(" ", r.args()), List.of());
        }
        if (rc != 0) {
            throw new PyBundleException("the script failed (exit status " + rc + "): " + String.join(" ",
                    quoted(command)), List.of("its output is above; the environment is the bundle's, as the"
                    + " cluster runs it (" + (environment == null ? "no environment archive: the py-files zip only"
                    : environment) + ")"));
        }
        listener.log(Level.INFO, "The script finished (exit status 0)");
        return new Outcome(List.copyOf(command), environment);
    }

    private Path localInterpreter(Request r) throws IOException {
        if (r.interpreter() != null) {
            if (!Files.isExecutable(r.interpreter())) {
                throw new InvalidConfigurationException("execInterpreter", r.interpreter().toString(),
                        "{@execInterpreter} " + r.interpreter() + " is not an executable file", "name a Python"
                        + " interpreter of the target's version");
            }
            return r.interpreter();
        }
        TargetRequest t = r.bundle().dependencies().target();
        Path found;
        String wanted;
        if (t != null && t.given()) {
            Target target = t.target();
            wanted = "python" + target.major() + "." + target.minor();
            found = Interpreters.find(target.major(), target.minor(), r.env());
        } else {
            wanted = "python3";
            found = Interpreters.onPath("python3", r.env());
        }
        if (found == null) {
            throw new PyBundleException("no " + wanted + " on PATH or in pyenv to run the script with", List.of(
                    "install " + wanted + " (e.g. pyenv install), or set {@execInterpreter}", "or ship one:"
                    + " {@target.pythonArchive} makes the bundle carry its interpreter, which the script then uses"));
        }
        return found;
    }

    /**
     * The archive unpacked in the cache, {@code environments/sha256/<hex>/}: the same archive (same lock, interpreter
     * and code layout) is unpacked once. Unpacked beside it and moved into place, so a directory there is complete.
     */
    static Path unpacked(Path archive, Path cacheRoot) throws IOException {
        String sha = Digests.sha256Hex(archive);
        Path root = CacheBucket.ENVIRONMENTS.in(cacheRoot).resolve("sha256");
        Path dir = root.resolve(sha);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(root);
            Path tmp = Files.createTempDirectory(root, ".unpacking-");
            try {
                BundleVerifier.unpack(archive, tmp);
                try {
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                    if (!Files.isDirectory(dir)) { // not another build that unpacked the same archive meanwhile
                        throw e;
                    }
                } catch (IOException e) {
                    if (!Files.isDirectory(dir)) { // a non-empty directory there: another build won the race
                        throw e;
                    }
                }
            } finally {
                FileTrees.delete(tmp);
            }
        }
        Files.setLastModifiedTime(dir, FileTime.fromMillis(System.currentTimeMillis())); // in use: kept by prune()
        prune(root, dir);
        return dir;
    }

    // The least recently used environments beyond KEEP_ENVIRONMENTS go; one that cannot be deleted stays.
    private static void prune(Path root, Path current) {
        try (Stream<Path> s = Files.list(root)) {
            List<Path> others = s.filter(p -> !p.equals(current) && Files.isDirectory(p)
                    && !p.getFileName().toString().startsWith(".")).sorted(Comparator.comparing((Path p) -> {
                        try {
                            return Files.getLastModifiedTime(p);
                        } catch (IOException e) {
                            return FileTime.fromMillis(0);
                        }
                    }).reversed()).toList();
            for (Path old : others.subList(Math.min(KEEP_ENVIRONMENTS, others.size()), others.size())) {
                FileTrees.delete(old);
            }
        } catch (IOException e) {
            // pruning is housekeeping: an environment left behind costs disk space only
        }
    }


    private static List<String> quoted(List<String> args) {
        return args.stream().map(a -> a.isEmpty() || a.matches(".*[\\s'\"\\\\$`].*")
                ? "'" + a.replace("'", "'\\''") + "'" : a).toList();
    }
}

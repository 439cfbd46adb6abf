package io.github.pybundle.core.resolve;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.cache.CacheBucket;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.dist.WheelFilename;
import io.github.pybundle.core.spec.tags.Tag;
import io.github.pybundle.core.target.Interpreters;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.core.archive.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds a wheel from a source distribution with a local interpreter of the target's major.minor (found on PATH as
 * {@code pythonX.Y}, else among pyenv's versions), using pip and its configuration. The result is kept only if it is
 * pure Python ({@code py3-none-any} or {@code py2.py3-none-any}): code compiled on the build machine would not be
 * the cluster's. Built wheels are kept by the sdist's sha256, so each sdist is built once.
 */
public final class SourceBuilder {
    private static final Set<String> PURE = Set.of("py3-none-any", "py2.py3-none-any");

    /** The sdist built, but into compiled code: another version may still be pure, so the resolver may go on. */
    public static final class NotPureException extends PyBundleException {
        private static final long serialVersionUID = 1L;

        NotPureException(String message, List<String> hints) {
            super(message, hints);
        }
    }

    private final int major;
    private final int minor;
    private final Path workDir;
    private final Map<String, String> env;
    private final BuildListener listener;

    public SourceBuilder(Target target, Path workDir, Map<String, String> env, BuildListener listener) {
        this.major = target.major();
        this.minor = target.minor();
        this.workDir = workDir;
        this.env = env;
        this.listener = listener;
    }

    /**
     * Builds (or finds already built) the wheel of an sdist.
     *
     * @throws PyBundleException when no interpreter exists, the build fails, or the result is not pure Python
     */
    public Path build(Path sdist, String filename) throws IOException {
        Path out = CacheBucket.SDIST_BUILDS.in(workDir).resolve(Digests.sha256Hex(sdist));
        Path built = wheelIn(out);
        if (built != null) {
            return built;
        }
        Path python = Interpreters.find(major, minor, env);
        if (python == null) {
            throw new PyBundleException("building " + filename + " needs a local Python " + major + "." + minor
                    + ", and none was found on PATH or among pyenv's versions", List.of("install one (e.g. pyenv"
                    + " install " + major + "." + minor + "), or provide a wheel of the package in a {@findLinks}"
                    + " directory"));
        }
        Path temp = Files.createDirectories(CacheBucket.SDIST_BUILDS.in(workDir));
        Path staging = Files.createTempDirectory(temp, ".build");
        try {
            // PEP 517 with build isolation, as pip wheel and python -m build do by default: the build backend and its
            // requirements go into a throwaway environment, so the interpreter needs neither setuptools nor wheel
            // (an old pip would otherwise run setup.py bdist_wheel and fail with "invalid command 'bdist_wheel'").
            listener.log(Level.INFO, "Building " + filename + " with " + python + " (pip wheel, PEP 517 build"
                    + " isolation)");
            Process p = new ProcessBuilder(python.toString(), "-m", "pip", "wheel", "--no-deps", "--use-pep517",
                    "--disable-pip-version-check", "--no-binary", ":all:", "--wheel-dir", staging.toString(),
                    sdist.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                String tail = String.join("\n", log.lines().skip(Math.max(0, log.lines().count() - 15)).toList());
                throw new PyBundleException("building " + filename + " with " + python + " failed:\n" + tail,
                        List.of("fix the sdist's build, or provide a wheel of the package in a {@findLinks}"
                        + " directory"));
            }
            Path wheel = wheelIn(staging);
            if (wheel == null) {
                throw new PyBundleException("building " + filename + " produced no wheel", List.of());
            }
            Set<Tag> tags = WheelFilename.parse(wheel.getFileName().toString()).tags();
            String tag = wheel.getFileName().toString().replaceFirst("^[^-]+-[^-]+-(\\d[^-]*-)?", "")
                    .replaceFirst("\\.whl$", "");
            if (!PURE.contains(tag)) {
                throw new NotPureException("building " + filename + " gave " + wheel.getFileName() + ", which is not"
                        + " pure Python (" + tags + "): code compiled on this machine would not run on the cluster",
                        List.of("ask the maintainers for a wheel for the cluster's platform, or mark the package"
                                + " {@provided} if the cluster has it"));
            }
            Files.createDirectories(out.getParent());
            Files.move(staging, out);
            return wheelIn(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building " + filename, e);
        } finally {
            FileTrees.delete(staging);
        }
    }

    private static Path wheelIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".whl")).findFirst().orElse(null);
        }
    }
}

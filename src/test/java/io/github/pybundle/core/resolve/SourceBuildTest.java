package io.github.pybundle.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.lock.InvalidLockException;
import io.github.pybundle.core.lock.LockedWheels;
import io.github.pybundle.core.lock.Locker;
import io.github.pybundle.core.lock.Pylock;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.spec.pep508.Requirement;
import io.github.pybundle.core.target.Interpreters;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code <allowSourceBuilds>}: sdists built by the tests are built with a local Python 3.11 and pip (which fetches
 * the setuptools build backend through its own configuration), locked as sdists, and rebuilt for the bundle. Skipped
 * with the reason when no python3.11 is present.
 */
class SourceBuildTest {
    @TempDir
    Path dir;

    private static byte[] sdist(String name, String version, Map<String, String> extra) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String root = name + "-" + version + "/";
        Map<String, String> files = new java.util.LinkedHashMap<>(Map.of(
                root + "pyproject.toml", "[build-system]\nrequires = [\"setuptools>=61\"]\n"
                        + "build-backend = \"setuptools.build_meta\"\n[project]\nname = \"" + name + "\"\nversion = \""
                        + version + "\"\ndependencies = [\"six\"]\n",
                root + name + "/__init__.py", "VALUE = 42\n",
                root + "PKG-INFO", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n"));
        extra.forEach((k, v) -> files.put(root + k, v));
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, String> e : files.entrySet()) {
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(b.length);
                tar.putArchiveEntry(entry);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private Target target() {
        Target t = Target.of(new Target.Spec("3.11", null, null, null, null, null));
        // A test that needs another Python version skips, with the reason, where it is absent.
        Assumptions.assumeTrue(Interpreters.find(3, 11, System.getenv()) != null,
                "Skipped: no python3.11 on PATH or in pyenv to build sdists with");
        return t;
    }

    @Test
    void pureSdist_isBuiltLockedAsAnSdistAndRebuiltForTheBundle() throws Exception {
        Target t = target();
        try (TestIndexServer server = new TestIndexServer()) {
            server.addFile("srconly", "srconly-0.3.tar.gz", sdist("srconly", "0.3", Map.of()));
            server.add(TestWheels.pure("six", "1.16.0"));
            IndexConfiguration config = new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                    PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                    dir.resolve("cache"), 2);
            SourceBuilder builder = new SourceBuilder(t, dir.resolve("cache"), System.getenv(), BuildListener.silent());
            DeclaredRequirements declared = DeclaredRequirements.collect(new DeclaredRequirements.Request(
                    List.of("srconly"), List.of(), List.of(), null, false, List.of(), List.of(), Map.of()));
            Path lockFile = dir.resolve("pylock.toml");
            Locker.Result r = new Locker(BuildListener.silent()).lock(declared, t, Map.of(), false, config, lockFile,
                    builder);
            assertEquals("[six, srconly]", r.lock().packages().stream().map(p -> p.name()).toList().toString());
            assertTrue(r.lock().packages().get(1).sdist());
            r.lock().write(lockFile);
            List<Path> wheels = new LockedWheels(BuildListener.silent(), builder).fetch(Pylock.read(lockFile),
                    lockFile, config);
            assertEquals("srconly-0.3-py3-none-any.whl", wheels.get(1).getFileName().toString());
            Assertions.assertThrows(InvalidLockException.class, () ->
                    new LockedWheels(BuildListener.silent(), null).fetch(Pylock.read(lockFile), lockFile, config));
        }
    }

    @Test
    void sdistThatBuildsPlatformSpecificCode_isRefused() throws Exception {
        Target t = target();
        Path sdist = dir.resolve("binary-1.0.tar.gz");
        java.nio.file.Files.write(sdist, sdist("binary", "1.0", Map.of("setup.py", "from setuptools import setup\n"
                + "from setuptools.dist import Distribution\n\nclass Binary(Distribution):\n"
                + "    def has_ext_modules(self):\n        return True\n\nsetup(distclass=Binary)\n")));
        SourceBuilder builder = new SourceBuilder(t, dir.resolve("cache"), System.getenv(), BuildListener.silent());
        PyBundleException e = assertThrows(PyBundleException.class,
                () -> builder.build(sdist, "binary-1.0.tar.gz"));
        assertTrue(e.getMessage().contains("which is not pure Python"), e.getMessage());
    }

    // Legacy sdists (setup.py, no pyproject.toml) with an interpreter that has no 'wheel' package: built in an
    // isolated PEP 517 environment, not with setup.py bdist_wheel ("invalid command 'bdist_wheel'").
    @Test
    void aSetupPyOnlySdist_buildsWithAnInterpreterThatHasNoWheelPackage() throws Exception {
        Target t = target();
        Path venv = dir.resolve("venv");
        Process mk = new ProcessBuilder(Interpreters.find(3, 11, System.getenv()).toString(), "-m", "venv",
                venv.toString()).redirectErrorStream(true).start();
        assertEquals(0, mk.waitFor(), new String(mk.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Process noWheel = new ProcessBuilder(venv.resolve("bin/python").toString(), "-c", "import wheel")
                .redirectErrorStream(true).start();
        noWheel.getInputStream().readAllBytes();
        Assumptions.assumeTrue(noWheel.waitFor() != 0, "this Python's venv comes with 'wheel'");
        Path sdist = dir.resolve("legacy-1.0.tar.gz");
        byte[] bytes = sdist("legacy", "1.0", Map.of("setup.py", "from setuptools import setup\n"
                + "setup(name='legacy', version='1.0', packages=['legacy'])\n"));
        // the helper's pyproject.toml is dropped: a setup.py-only sdist
        java.nio.file.Files.write(sdist, withoutPyproject(bytes));
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("PATH", venv.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        List<String> log = new java.util.ArrayList<>();
        Path wheel = new SourceBuilder(t, dir.resolve("cache"), env, (l, m) -> log.add(m)).build(sdist,
                "legacy-1.0.tar.gz");
        assertEquals("legacy-1.0-py3-none-any.whl", wheel.getFileName().toString());
        assertEquals("Building legacy-1.0.tar.gz with " + venv.resolve("bin/python3.11") + " (pip wheel, PEP 517"
                + " build isolation)", log.get(0));
    }

    private static byte[] withoutPyproject(byte[] tgz) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream(
                        new java.io.ByteArrayInputStream(tgz)));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                if (!e.getName().endsWith("/pyproject.toml")) {
                    tar.putArchiveEntry(e);
                    in.transferTo(tar);
                    tar.closeArchiveEntry();
                }
            }
        }
        return out.toByteArray();
    }

    // A build that fails is the build's problem, not the version's: reported once with its output, not tried again
    // with each older version and then blamed on the requirements.
    @Test
    void aFailingBuild_isReportedOnceWithItsOutput() throws Exception {
        Target t = target();
        try (TestIndexServer server = new TestIndexServer()) {
            for (String v : List.of("1.0", "2.0")) {
                server.addFile("broken", "broken-" + v + ".tar.gz", sdist("broken", v, Map.of("setup.py",
                        "raise SystemExit('this sdist cannot be built here')\n")));
            }
            IndexConfiguration config = new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                    PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                    dir.resolve("cache"), 2);
            List<String> log = new java.util.ArrayList<>();
            SourceBuilder builder = new SourceBuilder(t, dir.resolve("cache"), System.getenv(), (l, m) -> log.add(m));
            DeclaredRequirements declared = DeclaredRequirements.collect(new DeclaredRequirements.Request(
                    List.of("broken"), List.of(), List.of(), null, false, List.of(), List.of(), Map.of()));
            PyBundleException e = assertThrows(PyBundleException.class, () -> new Locker(BuildListener.silent())
                    .lock(declared, t, Map.of(), false, config, dir.resolve("pylock.toml"), builder));
            assertTrue(e.getMessage().startsWith("building broken-2.0.tar.gz with "), e.getMessage());
            assertTrue(e.getMessage().contains("this sdist cannot be built here"), e.getMessage());
            assertEquals(1, log.stream().filter(m -> m.startsWith("Building ")).count(), log.toString());
        }
    }

    @Test
    void requirementOnASdistOnlyPackage_withoutSourceBuildsIsExplained() throws Exception {
        try (TestIndexServer server = new TestIndexServer()) {
            server.addFile("srconly", "srconly-0.3.tar.gz", new byte[] {1});
            IndexConfiguration config = new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                    PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                    dir.resolve("cache"), 2);
            Target t = Target.of(new Target.Spec("3.11", null, null, null, null, null));
            ResolutionException e = assertThrows(ResolutionException.class, () -> new Resolver(new IndexProvider(
                    config.open(BuildListener.silent()), t)).resolve(new Resolver.Request(List.of(new Resolver.Root(
                    Requirement.parse("srconly"), "<requirements> entry 1")), List.of(), Map.of(), false,
                    t.markers(), t.describe())));
            assertTrue(e.getMessage().contains("only a source distribution (srconly-0.3.tar.gz): set"
                    + " {@allowSourceBuilds} to build it"), e.getMessage());
        }
    }

    // A version whose wheels are all for other platforms, but which has an sdist: without source builds the message
    // says the sdist exists and how to use it; with them, the sdist is built, as pip does.
    @Test
    void aVersionWithOnlyForeignWheelsAndAnSdist_namesTheSdistOrBuildsIt() throws Exception {
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(new io.github.pybundle.testing.TestWheels.Spec("mixed", "1.0", "cp312-cp312-win_amd64",
                    List.of(), null, Map.of("mixed/__init__.py", "")));
            server.addFile("mixed", "mixed-1.0.tar.gz", new byte[] {1});
            IndexConfiguration config = new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                    PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                    dir.resolve("cache"), 2);
            Target t = Target.of(new Target.Spec("3.11", null, null, null, null, null));
            ResolutionException e = assertThrows(ResolutionException.class, () -> new Resolver(new IndexProvider(
                    config.open(BuildListener.silent()), t)).resolve(new Resolver.Request(List.of(new Resolver.Root(
                    Requirement.parse("mixed"), "<requirements> entry 1")), List.of(), Map.of(), false,
                    t.markers(), t.describe())));
            assertTrue(e.getMessage().contains("mixed 1.0: no wheel for cp311 / manylinux2014_x86_64 (has"
                    + " [cp312-cp312-win_amd64]); its source distribution would be built with {@allowSourceBuilds}"),
                    e.getMessage());
        }
    }
}

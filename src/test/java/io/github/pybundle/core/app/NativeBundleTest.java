package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.PhaseTimer;
import io.github.pybundle.core.lock.BuildWheels;
import io.github.pybundle.core.project.ProjectPackager;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.sbom.Component;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.testing.CraftedWheel;
import io.github.pybundle.testing.ElfBuilder;
import io.github.pybundle.testing.SourceTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle goal with a native wheel the build depends on: its ELF files are checked against the target's platform
 * before anything is written, and the summary says the highest glibc it needs.
 */
class NativeBundleTest {
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();
    private final BuildListener listener = (level, message) -> log.add(level + " " + message);

    private Path nativeWheel(String glibc) throws Exception {
        byte[] so = ElfBuilder.sharedObject().needed("libc.so.6").needs("libc.so.6", "GLIBC_2.2.5", "GLIBC_" + glibc)
                .build();
        Path w = dir.resolve("m2/fast-1.0-cp311-cp311-manylinux2014_x86_64.whl");
        Files.createDirectories(w.getParent());
        return Files.write(w, new CraftedWheel("fast", "1.0").wheelFile("Wheel-Version: 1.0\nGenerator: crafted\n"
                + "Root-Is-Purelib: false\nTag: cp311-cp311-manylinux2014_x86_64\n")
                .file("fast/_speedups.cpython-311-x86_64-linux-gnu.so", so).file("fast/__init__.py", "").build());
    }

    private BundleService.Outcome bundle(String glibc, String... allowNativeMismatch) throws Exception {
        Path src = SourceTrees.sample(dir.resolve("project"));
        DependencyRequest deps = new DependencyRequest(new DeclaredRequirements.Request(List.of(), List.of(),
                List.of(), dir.resolve("project/pyproject.toml"), false, List.of(), List.of(), Map.of()),
                new TargetRequest(new Target.Spec("3.11", null, null, null, List.of("manylinux2014_x86_64"), null),
                        null, List.of(), true, null, null, null, List.of(), List.of(allowNativeMismatch)),
                false, false, dir.resolve("project/pylock.toml"), Map.of());
        return new BundleService(listener, new PhaseTimer()).bundle(new BundleService.Request(deps, src,
                src.resolve("main.py"), "app", dir.resolve("project/target"), "app-1.0",
                Instant.parse("2024-01-01T00:00:00Z"), ProjectPackager.Layout.AUTO,
                EnvironmentArchiveBuilder.Format.TAR_GZ, List.of(), ProjectPackager.SparkSpec.defaults(),
                List.of(new BuildWheels.Wheel(nativeWheel(glibc), "com.example:fast:whl:1.0")), List.of(), false,
                1L << 30, 1L << 32, Component.of(Component.Type.APPLICATION, "g", "a", "1", "pkg:maven/g/a@1")),
                files -> {
                    throw new AssertionError("no index is needed");
                });
    }

    @Test
    void theSummarySaysTheHighestGlibcEachPackageNeeds() throws Exception {
        BundleService.Outcome o = bundle("2.17");
        assertTrue(Files.isRegularFile(o.environmentArchive()));
        assertTrue(log.stream().anyMatch(l -> l.matches("INFO Package +Version +Size +Kind +Placed in +Needs +File")),
                log.toString());
        assertTrue(log.stream().anyMatch(l -> l.matches("INFO fast +1\\.0 +[0-9.]+ kB  native  environment archive"
                + " +glibc 2\\.17  fast-1\\.0-cp311-cp311-manylinux2014_x86_64\\.whl")), log.toString());
    }

    @Test
    void aWheelThatNeedsANewerGlibcFailsTheBuildAndWritesNothing() throws Exception {
        PyBundleException e = assertThrows(PyBundleException.class, () -> bundle("2.28"));
        assertTrue(e.getMessage().startsWith("fast-1.0-cp311-cp311-manylinux2014_x86_64.whl has native code that"
                + " manylinux2014_x86_64 (glibc 2.17; GLIBCXX_3.4.19, CXXABI_1.3.7, GCC_4.8.0 at most) cannot load:\n"
                + "  fast/_speedups.cpython-311-x86_64-linux-gnu.so needs GLIBC_2.28 (libc.so.6)"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("project/target/app-1.0-pyenv.tar.gz")));
    }

    @Test
    void allowNativeMismatch_bundlesItWithAWarning() throws Exception {
        BundleService.Outcome o = bundle("2.28", "Fast");
        assertTrue(Files.isRegularFile(o.environmentArchive()));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("WARN fast-1.0-cp311-cp311-manylinux2014_x86_64.whl has"
                + " native code") && l.endsWith("fast is in {@target.allowNativeMismatch}: bundled anyway")),
                log.toString());
        assertTrue(log.stream().anyMatch(l -> l.matches(".*environment archive +glibc 2\\.28  fast-1\\.0-.*")),
                log.toString());
        assertEquals(1, log.stream().filter(l -> l.startsWith("WARN fast")).count());
    }
}

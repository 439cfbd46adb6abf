package io.github.pybundle.core.wheel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.cache.CacheBucket;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.testing.CraftedWheel;
import io.github.pybundle.testing.ElfBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native-code check through the wheel checks: wheels holding ELF files built by {@link ElfBuilder}, checked by
 * {@link WheelVerifier} against a target's platform.
 */
class NativeCheckTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();
    private final List<String> debug = new ArrayList<>();
    private final BuildListener listener = (level, message) -> {
        if (level == BuildListener.Level.WARN) {
            warnings.add(message);
        } else if (level == BuildListener.Level.DEBUG) {
            debug.add(message);
        }
    };

    /** An extension module as a manylinux2014 build makes it: glibc 2.17 at most, libstdc++ of GCC 4.8. */
    static ElfBuilder extension() {
        return ElfBuilder.sharedObject().needed("libstdc++.so.6", "libm.so.6", "libc.so.6")
                .needs("libstdc++.so.6", "GLIBCXX_3.4", "CXXABI_1.3")
                .needs("libc.so.6", "GLIBC_2.2.5", "GLIBC_2.14");
    }

    private Path wheel(String name, Object... entries) throws Exception {
        CraftedWheel w = new CraftedWheel(name, "1.0").wheelFile("Wheel-Version: 1.0\nGenerator: crafted\n"
                + "Root-Is-Purelib: false\nTag: cp311-cp311-manylinux2014_x86_64\n");
        for (int i = 0; i < entries.length; i += 2) {
            Object content = entries[i + 1];
            if (content instanceof ElfBuilder b) {
                w.file((String) entries[i], b.build());
            } else {
                w.file((String) entries[i], (String) content);
            }
        }
        return Files.write(dir.resolve(name + "-1.0-cp311-cp311-manylinux2014_x86_64.whl"), w.build());
    }

    private void check(String platform, List<Path> wheels, String... allowed) throws Exception {
        WheelVerifier.verifyAll(wheels, new WheelChecks(WheelVerifier.Memo.none(), 1L << 30, 1L << 31, listener,
                NativeCheck.of(List.of(platform), 3, 11, List.of(allowed))));
    }

    private PyBundleException refused(String platform, Path... wheels) {
        return assertThrows(PyBundleException.class, () -> check(platform, List.of(wheels)));
    }

    @Test
    void aManylinux2014ExtensionPasses() throws Exception {
        Path w = wheel("ok", "ok/_ext.cpython-311-x86_64-linux-gnu.so", extension(), "ok/__init__.py", "");
        assertDoesNotThrow(() -> check("manylinux2014_x86_64", List.of(w)));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aWrongMachineIsRefused() throws Exception {
        Path w = wheel("arm", "arm/_ext.so", extension().machine(ElfBuilder.EM_AARCH64),
                "arm/bin/tool", ElfBuilder.sharedObject().type(2).bits(32).machine(ElfBuilder.EM_386).statik());
        PyBundleException e = refused("manylinux2014_x86_64", w);
        assertEquals("""
                arm-1.0-cp311-cp311-manylinux2014_x86_64.whl has native code that manylinux2014_x86_64 (glibc 2.17;\
                 GLIBCXX_3.4.19, CXXABI_1.3.7, GCC_4.8.0 at most) cannot load:
                  arm/_ext.so is built for aarch64, not x86_64
                  arm/bin/tool is built for i686, not x86_64""", e.getMessage());
        assertEquals(List.of("pin an older version of arm whose wheel is built for manylinux2014 (a requirement such"
                + " as arm<VERSION, then {#updateLock})", "if every node provides it, raise {@target.platforms}"
                + " to a newer manylinux_X_Y_x86_64", "after checking by hand that the nodes can load it, list arm in"
                + " {@target.allowNativeMismatch} to bundle it with a warning"), e.hints());
        assertDoesNotThrow(() -> check("manylinux2014_aarch64", List.of(wheel("arm2", "arm2/_ext.so",
                extension().machine(ElfBuilder.EM_AARCH64)))));
    }

    @Test
    void aGlibcNewerThanTheTargetsIsRefused_andPassesOnATargetThatHasIt() throws Exception {
        Path w = wheel("newer", "newer/_ext.so", extension().needs("libc.so.6", "GLIBC_2.28", "GLIBC_2.27")
                .needs("libstdc++.so.6", "GLIBCXX_3.4.21"), "newer/_other.so", extension());
        PyBundleException e = refused("manylinux2014_x86_64", w);
        assertEquals("""
                newer-1.0-cp311-cp311-manylinux2014_x86_64.whl has native code that manylinux2014_x86_64 (glibc 2.17;\
                 GLIBCXX_3.4.19, CXXABI_1.3.7, GCC_4.8.0 at most) cannot load:
                  newer/_ext.so needs GLIBCXX_3.4.21 (libstdc++.so.6), GLIBC_2.28 (libc.so.6)""", e.getMessage());
        assertEquals("if every node has glibc 2.28 or newer (ldd --version), raise {@target.platforms} to"
                + " manylinux_2_28_x86_64", e.hints().get(1));
        assertDoesNotThrow(() -> check("manylinux_2_28_x86_64", List.of(w)));
    }

    @Test
    void aGlibcDependencyOnAMuslTargetIsRefused() throws Exception {
        Path w = wheel("gnu", "gnu/_ext.so", extension());
        PyBundleException e = refused("musllinux_1_2_x86_64", w);
        assertTrue(e.getMessage().contains("gnu/_ext.so needs glibc (GLIBC_2.14 from libc.so.6), which"
                + " musllinux_1_2 systems do not have: they have musl; needs libstdc++.so.6, which is neither in the"
                + " bundle (it has no RPATH or RUNPATH) nor a library every musllinux_1_2 system provides"),
                e.getMessage());
        Path musl = wheel("musl", "musl/_ext.so", ElfBuilder.sharedObject().needed("libc.musl-x86_64.so.1"));
        assertDoesNotThrow(() -> check("musllinux_1_2_x86_64", List.of(musl)));
    }

    @Test
    void aLibraryOutsideThePolicyIsRefused() throws Exception {
        Path w = wheel("ssl", "ssl/_ext.so", extension().needed("libssl.so.3").runpath("/usr/local/lib"));
        PyBundleException e = refused("manylinux2014_x86_64", w);
        assertTrue(e.getMessage().endsWith("ssl/_ext.so needs libssl.so.3, which is neither in the bundle (RUNPATH"
                + " /usr/local/lib) nor a library every manylinux2014 system provides"), e.getMessage());
    }

    @Test
    void aLibraryInTheWheelFoundThroughOriginPasses() throws Exception {
        ElfBuilder grafted = ElfBuilder.sharedObject().soname("libfoo-1a2b3c4d.so.3").needed("libc.so.6")
                .needs("libc.so.6", "GLIBC_2.2.5");
        Path w = wheel("pkg", "pkg/sub/_ext.so", extension().needed("libfoo-1a2b3c4d.so.3")
                .runpath("$ORIGIN/../../pkg.libs"), "pkg.libs/libfoo-1a2b3c4d.so.3", grafted);
        assertDoesNotThrow(() -> check("manylinux2014_x86_64", List.of(w)));
        // found in no directory of its RUNPATH, but in the wheel's *.libs: passes too
        Path elsewhere = wheel("pkg2", "pkg2/_ext.so", extension().needed("libfoo-1a2b3c4d.so.3")
                .runpath("$ORIGIN/lib"), "pkg2.libs/libfoo-1a2b3c4d.so.3", grafted);
        assertDoesNotThrow(() -> check("manylinux2014_x86_64", List.of(elsewhere)));
        // in the wheel, but not where its RUNPATH looks
        Path lost = wheel("pkg3", "pkg3/_ext.so", extension().needed("libfoo.so.3").runpath("${ORIGIN}/lib"),
                "pkg3/other/libfoo.so.3", grafted);
        PyBundleException e = refused("manylinux2014_x86_64", lost);
        assertTrue(e.getMessage().contains("needs libfoo.so.3, which is neither in the bundle (RUNPATH"
                + " ${ORIGIN}/lib)"), e.getMessage());
    }

    @Test
    void aLibraryOfAnotherWheelOfTheSameOutputIsFound() throws Exception {
        Path torch = wheel("torch", "torch/lib/libtorch_cuda.so", extension().needed("libcudart.so.12")
                .rpath("$ORIGIN/../../nvidia/cuda_runtime/lib:$ORIGIN"));
        Path cudart = wheel("nvidia_cuda_runtime_cu12", "nvidia/cuda_runtime/lib/libcudart.so.12",
                ElfBuilder.sharedObject().needed("libc.so.6", "libdl.so.2"));
        assertDoesNotThrow(() -> check("manylinux2014_x86_64", List.of(torch, cudart)));
        PyBundleException e = refused("manylinux2014_x86_64", torch);
        assertTrue(e.getMessage().contains("needs libcudart.so.12, which is neither in the bundle (RPATH"
                + " $ORIGIN/../../nvidia/cuda_runtime/lib, RPATH $ORIGIN)"), e.getMessage());
    }

    @Test
    void driverLibrariesAreLeftToTheNodes_andSaid() throws Exception {
        // torch's CUDA wheels need the NVIDIA driver's libcuda, NVIDIA's cuFile the RDMA libraries: never bundled.
        Path torch = wheel("torch", "torch/lib/libcaffe2_nvrtc.so", extension().needed("libcuda.so.1"));
        Path cufile = wheel("nvidia_cufile_cu12", "nvidia/cufile/lib/libcufile_rdma.so.1",
                extension().needed("libmlx5.so.1", "librdmacm.so.1", "libibverbs.so.1"));
        List<String> info = new ArrayList<>();
        WheelVerifier.verifyAll(List.of(torch, cufile), new WheelChecks(WheelVerifier.Memo.none(), 1L << 30,
                1L << 31, (level, m) -> info.add(level + " " + m), NativeCheck.of(List.of("manylinux_2_28_x86_64"),
                3, 11, List.of())));
        assertEquals(List.of("INFO Left to the nodes' drivers, as the wheels intend (not bundled): nvidia-cufile-cu12"
                + " needs libibverbs.so.1 (RDMA, rdma-core), libmlx5.so.1 (RDMA, rdma-core), librdmacm.so.1 (RDMA,"
                + " rdma-core); torch needs libcuda.so.1 (NVIDIA driver). Nodes without that hardware and driver"
                + " cannot load that code; the rest of each package loads as usual"), info.stream()
                .filter(m -> m.startsWith("INFO Left")).toList());
        // Any other library outside the policy is still refused.
        Path other = wheel("gpu", "gpu/_ext.so", extension().needed("libcuda.so.1", "libnvrtc-builtins.so.12"));
        PyBundleException e = refused("manylinux_2_28_x86_64", other);
        assertTrue(e.getMessage().contains("needs libnvrtc-builtins.so.12, which is neither in the bundle"),
                e.getMessage());
        assertFalse(e.getMessage().contains("libcuda"), e.getMessage());
    }

    @Test
    void libpythonOfTheTargetsVersionIsAllowed() throws Exception {
        Path w = wheel("emb", "emb/_ext.so", extension().needed("libpython3.11.so.1.0"));
        assertDoesNotThrow(() -> check("manylinux2014_x86_64", List.of(w)));
        Path other = wheel("emb2", "emb2/_ext.so", extension().needed("libpython3.9.so.1.0"));
        PyBundleException e = refused("manylinux2014_x86_64", other);
        assertTrue(e.getMessage().contains("needs libpython3.9.so.1.0, the library of Python 3.9, but the target's"
                + " Python is 3.11"), e.getMessage());
    }

    @Test
    void allowNativeMismatch_turnsTheErrorIntoAWarning() throws Exception {
        Path w = wheel("Newer_Pkg", "newer_pkg/_ext.so", extension().needs("libc.so.6", "GLIBC_2.28"));
        assertDoesNotThrow(() -> check("manylinux2014_x86_64", List.of(w), "newer-pkg"));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("Newer_Pkg-1.0-cp311-cp311-manylinux2014_x86_64.whl has native code"
                + " that manylinux2014_x86_64"), warnings.get(0));
        assertTrue(warnings.get(0).endsWith("newer_pkg/_ext.so needs GLIBC_2.28 (libc.so.6)\nnewer-pkg is in"
                + " {@target.allowNativeMismatch}: bundled anyway"), warnings.get(0));
    }

    @Test
    void everyWheelAndFileAtFaultIsNamedInOneFailure() throws Exception {
        Path a = wheel("alpha", "alpha/a.so", extension().needs("libc.so.6", "GLIBC_2.28"), "alpha/b.so",
                extension().needed("libquux.so.1"));
        Path b = wheel("beta", "beta/c.so", extension().machine(ElfBuilder.EM_AARCH64));
        Path ok = wheel("gamma", "gamma/d.so", extension());
        PyBundleException e = refused("manylinux2014_x86_64", a, ok, b);
        String m = e.getMessage();
        assertTrue(m.contains("alpha/a.so needs GLIBC_2.28") && m.contains("alpha/b.so needs libquux.so.1")
                && m.contains("\nbeta-1.0-cp311-cp311-manylinux2014_x86_64.whl has native code") && !m.contains("gamma"),
                m);
        assertTrue(e.hints().get(0).startsWith("pin older versions of alpha, beta whose wheels are built for"), e.hints().get(0));
    }

    @Test
    void aMalformedElfFileIsRefusedClearly() throws Exception {
        byte[] broken = extension().build();
        java.nio.ByteBuffer.wrap(broken).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(32, 1L << 40); // e_phoff
        Path w = Files.write(dir.resolve("bad-1.0-cp311-cp311-manylinux2014_x86_64.whl"), new CraftedWheel("bad",
                "1.0").file("bad/_ext.so", broken).build());
        PyBundleException e = refused("manylinux2014_x86_64", w);
        assertTrue(e.getMessage().endsWith("bad/_ext.so starts like an ELF file but cannot be read: it has its program"
                + " header table (112 bytes at offset 1099511627776) beyond the end of the file ("
                + broken.length + " bytes)"), e.getMessage());
        // Text that merely starts with the magic number is read, and refused, the same way.
        Path text = Files.write(dir.resolve("txt-1.0-cp311-cp311-manylinux2014_x86_64.whl"), new CraftedWheel("txt",
                "1.0").file("txt/data.bin", "\u007fELF and then some text").build());
        assertTrue(refused("manylinux2014_x86_64", text).getMessage().contains("txt/data.bin starts like an ELF"
                + " file but cannot be read: it has an unknown ELF class 32"));
    }

    @Test
    void nonLinuxTargetsAreNotChecked() throws Exception {
        Path w = wheel("arm", "arm/_ext.so", extension().machine(ElfBuilder.EM_AARCH64));
        assertDoesNotThrow(() -> check("macosx_11_0_arm64", List.of(w)));
        assertEquals(List.of("The target's platforms [macosx_11_0_arm64] are not Linux: the native code of the"
                + " wheels is not checked"), debug);
        assertDoesNotThrow(() -> WheelVerifier.verifyAll(List.of(w), WheelVerifier.Memo.none()),
                "without a target nothing is compared");
    }

    @Test
    void linuxStarChecksTheMachineOnly() throws Exception {
        Path w = wheel("loc", "loc/_ext.so", extension().needed("libssl.so.3").needs("libc.so.6", "GLIBC_2.39"));
        assertDoesNotThrow(() -> check("linux_x86_64", List.of(w)));
        Path arm = wheel("arm", "arm/_ext.so", extension().machine(ElfBuilder.EM_AARCH64));
        assertTrue(refused("linux_x86_64", arm).getMessage().contains("arm/_ext.so is built for aarch64, not x86_64"));
    }

    @Test
    void executablesInScriptsAndDataAreChecked() throws Exception {
        Path w = wheel("tool", "tool-1.0.data/scripts/tool", extension().type(2).needed("libbar.so.1")
                .runpath("$ORIGIN/../lib/python3.11/site-packages/tool.libs"), "tool.libs/libbar.so.1",
                ElfBuilder.sharedObject());
        assertDoesNotThrow(() -> check("manylinux2014_x86_64", List.of(w)), "bin/tool finds site-packages/tool.libs"
                + " through the wheel's *.libs rule");
        Path bad = wheel("tool2", "tool2-1.0.data/scripts/tool2", extension().type(2).needs("libc.so.6",
                "GLIBC_2.34"));
        assertTrue(refused("manylinux2014_x86_64", bad).getMessage().contains("tool2-1.0.data/scripts/tool2 needs"
                + " GLIBC_2.34 (libc.so.6)"));
    }

    @Test
    void whatTheFilesNeedIsRememberedWithTheCheckedWheel_andComparedAgainOnEveryBuild() throws Exception {
        Path cache = dir.resolve("cache");
        Path w = Files.createDirectories(cache.resolve("files/sha256/ab/abcd")).resolve("newer-1.0-cp311-cp311-"
                + "manylinux_2_28_x86_64.whl");
        Files.copy(wheel("newer", "newer/_ext.so", extension().needs("libc.so.6", "GLIBC_2.28")), w);
        WheelVerifier.Memo first = WheelVerifier.Memo.inCache(cache);
        WheelChecks to228 = new WheelChecks(first, 1L << 30, 1L << 31, listener,
                NativeCheck.of(List.of("manylinux_2_28_x86_64"), 3, 11, List.of()));
        WheelVerifier.verifyAll(List.of(w), to228);
        Path marker = w.resolveSibling(w.getFileName() + CacheBucket.CHECKED_MARKER);
        assertTrue(Files.isRegularFile(marker));
        assertEquals(".checked-v2", CacheBucket.CHECKED_MARKER);
        NativeFiles remembered = NativeFiles.fromJson(Files.readString(marker));
        assertEquals("2.28", remembered.highestGlibc());
        assertEquals(List.of("newer/_ext.so"), remembered.files().stream().map(NativeFiles.File::path).toList());

        // The next build, for an older glibc: the wheel is not read again (its bytes are now garbage, which only a
        // re-read would notice; the cache checks a file's sha256 when it hands it out), but its remembered needs
        // fail the new target.
        Files.writeString(w, "not a zip");
        WheelVerifier.Memo next = WheelVerifier.Memo.inCache(cache);
        assertEquals(remembered, next.recall(w));
        PyBundleException e = assertThrows(PyBundleException.class, () -> WheelVerifier.verifyAll(List.of(w),
                to228.withMemo(next).withNativeCheck(NativeCheck.of(List.of("manylinux2014_x86_64"), 3, 11,
                        List.of()))));
        assertTrue(e.getMessage().contains("newer/_ext.so needs GLIBC_2.28 (libc.so.6)"), e.getMessage());

        // A marker of the former format (v1, "checked") does not count: the wheel is read again.
        Files.delete(marker);
        Files.writeString(w.resolveSibling(w.getFileName() + ".checked-v1"), "checked\n");
        assertNull(WheelVerifier.Memo.inCache(cache).recall(w));
        Files.writeString(marker, "checked\n");
        assertNull(WheelVerifier.Memo.inCache(cache).recall(w), "an unreadable marker is as none");
    }

    @Test
    void nativeFiles_roundTripThroughJson() throws Exception {
        Path w = wheel("rt", "rt/_ext.so", extension().soname("_ext.so").rpath("$ORIGIN").runpath("$ORIGIN/../x"),
                "rt/broken.so", "\u007fELF\u0002\u0001\u0001");
        NativeFiles n = WheelVerifier.verify(w);
        assertEquals(2, n.files().size());
        assertEquals(n, NativeFiles.fromJson(n.toJson()));
        assertEquals("2.14", n.highestGlibc());
        assertNull(NativeFiles.none().highestGlibc());
        assertFalse(n.files().get(1).problem().isEmpty());
        assertEquals(Set.of(), Set.copyOf(NativeFiles.none().files()));
    }
}

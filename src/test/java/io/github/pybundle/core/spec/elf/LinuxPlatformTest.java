package io.github.pybundle.core.spec.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinuxPlatformTest {
    // tag, glibc, GLIBCXX, CXXABI, GCC: the policy facts the check relies on most.
    @ParameterizedTest
    @CsvSource({
        "manylinux1_x86_64, 2.5, 3.4.8, 1.3.1, 4.2.0",
        "manylinux2010_x86_64, 2.12, 3.4.13, 1.3.3, 4.3.0",
        "manylinux2014_x86_64, 2.17, 3.4.19, 1.3.7, 4.8.0",
        "manylinux_2_17_x86_64, 2.17, 3.4.19, 1.3.7, 4.8.0",
        "manylinux2014_aarch64, 2.18, 3.4.19, 1.3.7, 4.7.0",
        "manylinux_2_24_x86_64, 2.24, 3.4.22, 1.3.10, 4.8.0",
        "manylinux_2_28_x86_64, 2.28, 3.4.24, 1.3.11, 7.0.0",
        "manylinux_2_28_aarch64, 2.28, 3.4.24, 1.3.11, 7.0.0",
        "manylinux_2_31_x86_64, 2.31, 3.4.28, 1.3.12, 7.0.0",
        "manylinux_2_34_x86_64, 2.34, 3.4.29, 1.3.13, 7.0.0",
        "manylinux_2_34_aarch64, 2.34, 3.4.29, 1.3.13, 11.0",
        "manylinux_2_35_x86_64, 2.35, 3.4.30, 1.3.13, 12.0.0",
        "manylinux_2_39_x86_64, 2.39, 3.4.33, 1.3.15, 14.0.0",
        // no policy of its own: the glibc of the tag, the rest from the newest policy below it
        "manylinux_2_30_x86_64, 2.30, 3.4.24, 1.3.11, 7.0.0",
        "manylinux_2_99_x86_64, 2.99, 3.4.33, 1.3.15, 14.0.0",
    })
    void limits_followThePolicyOfTheTagsGlibc(String tag, String glibc, String glibcxx, String cxxabi, String gcc) {
        LinuxPlatform p = LinuxPlatform.of(tag);
        assertEquals(LinuxPlatform.Libc.GLIBC, p.libc());
        assertEquals(glibc, p.limits().get("GLIBC"));
        assertEquals(glibcxx, p.limits().get("GLIBCXX"));
        assertEquals(cxxabi, p.limits().get("CXXABI"));
        assertEquals(gcc, p.limits().get("GCC"));
    }

    @Test
    void versionProblem_comparesNumbersAndKnowsNamedVersions() {
        LinuxPlatform p = LinuxPlatform.of("manylinux2014_x86_64");
        assertNull(p.versionProblem("GLIBC_2.2.5"));
        assertNull(p.versionProblem("GLIBC_2.17"));
        assertEquals("GLIBC_2.28 is newer than GLIBC_2.17", p.versionProblem("GLIBC_2.28"));
        assertEquals("GLIBCXX_3.4.26 is newer than GLIBCXX_3.4.19", p.versionProblem("GLIBCXX_3.4.26"));
        assertEquals("GCC_7.0.0 is newer than GCC_4.8.0", p.versionProblem("GCC_7.0.0"));
        assertNull(p.versionProblem("CXXABI_TM_1"));
        assertEquals("GLIBC_PRIVATE is not among the GLIBC_ versions manylinux2014 provides",
                p.versionProblem("GLIBC_PRIVATE"));
        assertEquals("CXXABI_FLOAT128 is not among the CXXABI_ versions manylinux2014 provides",
                p.versionProblem("CXXABI_FLOAT128"));
        assertNull(LinuxPlatform.of("manylinux_2_28_x86_64").versionProblem("CXXABI_FLOAT128"));
        assertEquals("ZLIB_1.2.9 is newer than ZLIB_1.2.5.2", p.versionProblem("ZLIB_1.2.9"));
        assertEquals("ZLIB_1.2.0: manylinux1 provides no ZLIB_ version",
                LinuxPlatform.of("manylinux1_x86_64").versionProblem("ZLIB_1.2.0"));
        assertNull(p.versionProblem("OPENSSL_3.0.0"), "a prefix the policy does not limit");
        assertNull(LinuxPlatform.of("manylinux2014_ppc64le").versionProblem("GLIBCXX_LDBL_3.4.7"));
        assertNull(LinuxPlatform.of("manylinux_2_36_x86_64").versionProblem("GLIBC_ABI_DT_RELR"));
    }

    @Test
    void libraries_areThePoliciesListAndTheLoader() {
        LinuxPlatform p = LinuxPlatform.of("manylinux2014_x86_64");
        for (String lib : List.of("libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
                "libgcc_s.so.1", "libstdc++.so.6", "libz.so.1", "libX11.so.6", "libGL.so.1", "libexpat.so.1",
                "ld-linux-x86-64.so.2")) {
            assertTrue(p.providesLibrary(lib), lib);
        }
        assertFalse(p.providesLibrary("libssl.so.3"));
        assertFalse(p.providesLibrary("libmvec.so.1"), "libmvec came with glibc 2.22; policies list it from 2.24");
        assertTrue(LinuxPlatform.of("manylinux_2_28_x86_64").providesLibrary("libmvec.so.1"));
        assertFalse(LinuxPlatform.of("manylinux1_x86_64").providesLibrary("libexpat.so.1"));
        assertTrue(LinuxPlatform.of("manylinux2014_aarch64").providesLibrary("ld-linux-aarch64.so.1"));
    }

    @Test
    void musllinux_hasMuslAndNoGlibc() {
        LinuxPlatform p = LinuxPlatform.of("musllinux_1_2_x86_64");
        assertEquals(LinuxPlatform.Libc.MUSL, p.libc());
        assertEquals("musllinux_1_2", p.policyName());
        assertTrue(p.providesLibrary("libc.musl-x86_64.so.1"));
        assertTrue(p.providesLibrary("libc.so"));
        assertFalse(p.providesLibrary("libc.so.6"));
        assertFalse(p.providesLibrary("libstdc++.so.6"));
        assertEquals("GLIBC_2.17 is a glibc version; musllinux_1_2 systems have musl", p.versionProblem("GLIBC_2.17"));
        assertEquals("musllinux_1_2_x86_64 (musl libc, no glibc)", p.describe());
    }

    @Test
    void describe_namesTheLimits() {
        assertEquals("manylinux2014_x86_64 (glibc 2.17; GLIBCXX_3.4.19, CXXABI_1.3.7, GCC_4.8.0 at most)",
                LinuxPlatform.of("manylinux2014_x86_64").describe());
        assertEquals("manylinux2014", LinuxPlatform.of("manylinux_2_17_x86_64").policyName());
        assertEquals("manylinux_2_28", LinuxPlatform.of("manylinux_2_28_x86_64").policyName());
    }

    @Test
    void of_otherOperatingSystemsAreNotLinux() {
        assertNull(LinuxPlatform.of("macosx_11_0_arm64"));
        assertNull(LinuxPlatform.of("win_amd64"));
        assertEquals(LinuxPlatform.Libc.UNKNOWN, LinuxPlatform.of("linux_x86_64").libc());
    }

    @Test
    void forTarget_takesTheLeastCapableManylinuxPlatform() {
        assertEquals("manylinux2014_x86_64", LinuxPlatform.forTarget(List.of("manylinux_2_28_x86_64",
                "manylinux2014_x86_64")).tag());
        assertEquals("manylinux_2_28_x86_64", LinuxPlatform.forTarget(List.of("linux_x86_64",
                "manylinux_2_28_x86_64")).tag(), "a manylinux platform says more than linux_*");
        assertEquals("musllinux_1_1_x86_64", LinuxPlatform.forTarget(List.of("musllinux_1_2_x86_64",
                "musllinux_1_1_x86_64")).tag());
        assertEquals("manylinux_2_28_aarch64", LinuxPlatform.forTarget(List.of("manylinux_2_28_aarch64",
                "manylinux2014_x86_64")).tag(), "the first Linux platform's architecture");
        assertNull(LinuxPlatform.forTarget(List.of("macosx_11_0_arm64", "win_amd64")));
    }

    @Test
    void compareVersions_isNumericByPart() {
        assertTrue(LinuxPlatform.compareVersions("2.2.5", "2.17") < 0);
        assertTrue(LinuxPlatform.compareVersions("3.4.19", "3.4.9") > 0);
        assertEquals(0, LinuxPlatform.compareVersions("2.17", "2.17.0"));
    }
}

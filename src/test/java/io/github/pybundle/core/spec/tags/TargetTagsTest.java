package io.github.pybundle.core.spec.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.spec.dist.WheelFilename;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetTagsTest {
    private static int rank(TargetTags t, String wheel) {
        return t.bestRank(WheelFilename.parse(wheel).tags()).orElse(-1);
    }

    @Test
    void cp38Manylinux2014_prefersTheMostSpecificWheel() {
        TargetTags t = TargetTags.of("cp", 3, 8, null, List.of("manylinux2014_x86_64"));
        assertEquals("cp38-cp38-manylinux_2_17_x86_64", t.tags().get(0).toString());
        assertEquals("cp38-cp38-manylinux2014_x86_64", t.tags().get(1).toString());
        int specific = rank(t, "numpy-1.24.4-cp38-cp38-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
        int abi3 = rank(t, "cryptography-41.0.0-cp37-abi3-manylinux_2_17_x86_64.whl");
        int pure = rank(t, "six-1.16.0-py2.py3-none-any.whl");
        assertTrue(0 <= specific && specific < abi3 && abi3 < pure, specific + " " + abi3 + " " + pure);
    }

    @Test
    void olderGlibcTarget_rejectsNewerManylinuxAndOtherPlatformsAndInterpreters() {
        TargetTags t = TargetTags.of("cp", 3, 8, null, List.of("manylinux2014_x86_64"));
        assertFalse(t.accepts(WheelFilename.parse("numpy-2.0-cp38-cp38-manylinux_2_28_x86_64.whl").tags()));
        assertFalse(t.accepts(WheelFilename.parse("numpy-2.0-cp311-cp311-manylinux_2_17_x86_64.whl").tags()));
        assertFalse(t.accepts(WheelFilename.parse("numpy-2.0-cp38-cp38-manylinux_2_17_aarch64.whl").tags()));
        assertFalse(t.accepts(WheelFilename.parse("numpy-2.0-cp38-cp38-win_amd64.whl").tags()));
        assertFalse(t.accepts(WheelFilename.parse("x-1.0-cp38-cp38-linux_x86_64.whl").tags()));
        assertTrue(t.accepts(WheelFilename.parse("x-1.0-cp38-cp38-manylinux1_x86_64.whl").tags()));
    }

    @Test
    void python27Linux_defaultsToTheWideUnicodeAbi() {
        TargetTags t = TargetTags.of("cp", 2, 7, null, List.of("manylinux1_x86_64"));
        assertEquals("cp27-cp27mu-manylinux_2_5_x86_64", t.tags().get(0).toString());
        assertTrue(t.accepts(WheelFilename.parse("x-1.0-py2-none-any.whl").tags()));
        assertFalse(t.accepts(WheelFilename.parse("x-1.0-cp27-cp27m-manylinux1_x86_64.whl").tags()));
        assertFalse(t.accepts(WheelFilename.parse("x-1.0-py3-none-any.whl").tags()));
        assertEquals(List.of("cp27m"), TargetTags.defaultAbis("cp", 2, 7, List.of("win_amd64")));
        assertEquals(List.of("cp37m"), TargetTags.defaultAbis("cp", 3, 7, List.of("manylinux2014_x86_64")));
    }

    @Test
    void musllinuxAndAarch64_expandDownToTheirOldestVersions() {
        assertEquals(List.of("musllinux_1_2_x86_64", "musllinux_1_1_x86_64", "musllinux_1_0_x86_64"),
                PlatformTags.expand("musllinux_1_2_x86_64"));
        List<String> arm = PlatformTags.expand("manylinux_2_28_aarch64");
        assertEquals("manylinux_2_28_aarch64", arm.get(0));
        assertEquals(List.of("manylinux_2_17_aarch64", "manylinux2014_aarch64"), arm.subList(arm.size() - 2,
                arm.size()));
    }

    @Test
    void freeThreadedAbi_getsNoStableAbiTags() {
        TargetTags t = TargetTags.of("cp", 3, 13, List.of("cp313t"), List.of("manylinux_2_28_x86_64"));
        assertFalse(t.tags().stream().anyMatch(tag -> tag.abi().equals("abi3")));
    }
}

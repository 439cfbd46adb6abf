package io.github.pybundle.core.spec.elf;

import java.util.List;

/**
 * What the dynamic loader needs to know about one ELF file before it loads it: its class, byte order and machine,
 * the libraries it needs ({@code DT_NEEDED}), where it looks for them ({@code DT_RPATH}, {@code DT_RUNPATH}) and the
 * symbol versions it needs from each ({@code DT_VERNEED}, the {@code .gnu.version_r} section).
 *
 * @param bits 32 or 64 ({@code EI_CLASS})
 * @param littleEndian the byte order ({@code EI_DATA})
 * @param type {@code e_type}: {@link #ET_EXEC}, {@link #ET_DYN}, ...
 * @param machine {@code e_machine}, e.g. 62 for x86-64 (see {@link ElfMachine})
 * @param soname {@code DT_SONAME}, or null
 * @param needed the {@code DT_NEEDED} names, in order
 * @param rpath the directories of {@code DT_RPATH} (deprecated, still written by many tools), in order
 * @param runpath the directories of {@code DT_RUNPATH}, in order
 * @param versionNeeds the versions needed, per file that must define them
 * @see <a href="https://refspecs.linuxfoundation.org/elf/gabi4+/ch5.dynamic.html">System V ABI, Dynamic Linking</a>
 * @see <a href="https://refspecs.linuxfoundation.org/LSB_5.0.0/LSB-Core-generic/LSB-Core-generic/symversion.html">LSB,
 *     Symbol Versioning</a>
 */
public record ElfFile(int bits, boolean littleEndian, int type, int machine, String soname, List<String> needed,
                      List<String> rpath, List<String> runpath, List<VersionNeed> versionNeeds) {
    /** {@code ET_REL}: a relocatable object, never loaded as it is. */
    public static final int ET_REL = 1;
    /** {@code ET_EXEC}: an executable. */
    public static final int ET_EXEC = 2;
    /** {@code ET_DYN}: a shared object (or a position-independent executable). */
    public static final int ET_DYN = 3;

    public ElfFile {
        needed = List.copyOf(needed);
        rpath = List.copyOf(rpath);
        runpath = List.copyOf(runpath);
        versionNeeds = List.copyOf(versionNeeds);
    }

    /**
     * The versions one file must define ({@code Elf_Verneed} with its {@code Elf_Vernaux} entries).
     *
     * @param file the file's name as needed, e.g. {@code libc.so.6}
     * @param versions the version names, e.g. {@code GLIBC_2.17}, in order
     */
    public record VersionNeed(String file, List<String> versions) {
        public VersionNeed {
            versions = List.copyOf(versions);
        }
    }

    /** Whether the dynamic loader loads such a file (an executable or a shared object), so the checks apply. */
    public boolean loadable() {
        return type == ET_EXEC || type == ET_DYN;
    }

    /** e.g. {@code 64-bit little-endian x86_64}, for messages. */
    public String describe() {
        return ElfMachine.describe(machine, bits, littleEndian);
    }
}

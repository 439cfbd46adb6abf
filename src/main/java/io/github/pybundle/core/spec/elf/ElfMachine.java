package io.github.pybundle.core.spec.elf;

import java.util.Map;

/**
 * The ELF machine, class and byte order of each architecture a Linux platform tag names (the last part of
 * {@code manylinux2014_x86_64}).
 *
 * @param code {@code e_machine}
 * @param bits 32 or 64
 * @param littleEndian the byte order
 */
public record ElfMachine(int code, int bits, boolean littleEndian) {
    private static final Map<String, ElfMachine> BY_ARCHITECTURE = Map.of(
            "x86_64", new ElfMachine(62, 64, true), "i686", new ElfMachine(3, 32, true),
            "aarch64", new ElfMachine(183, 64, true), "armv7l", new ElfMachine(40, 32, true),
            "ppc64le", new ElfMachine(21, 64, true), "ppc64", new ElfMachine(21, 64, false),
            "s390x", new ElfMachine(22, 64, false), "riscv64", new ElfMachine(243, 64, true),
            "loongarch64", new ElfMachine(258, 64, true));

    /** The machine of a platform tag's architecture ({@code x86_64}, {@code aarch64}...), or null when unknown. */
    public static ElfMachine of(String architecture) {
        return architecture == null ? null : BY_ARCHITECTURE.get(architecture);
    }

    /** Whether a file of this machine, class and byte order runs on this architecture. */
    public boolean matches(int machine, int fileBits, boolean fileLittleEndian) {
        return machine == code && fileBits == bits && fileLittleEndian == littleEndian;
    }

    /**
     * The architecture's name when one has this machine, class and byte order ({@code x86_64}), else the numbers:
     * {@code ELF machine 190, 64-bit little-endian}.
     */
    public static String describe(int machine, int bits, boolean littleEndian) {
        return BY_ARCHITECTURE.entrySet().stream().filter(e -> e.getValue().matches(machine, bits, littleEndian))
                .map(Map.Entry::getKey).findFirst().orElse("ELF machine " + machine + ", " + bits + "-bit "
                        + (littleEndian ? "little" : "big") + "-endian");
    }
}

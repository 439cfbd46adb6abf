package io.github.pybundle.core.spec.elf;

/** An ELF file that cannot be read: the message says which structure is at fault and why. */
public class InvalidElfException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidElfException(String problem) {
        super(problem);
    }
}

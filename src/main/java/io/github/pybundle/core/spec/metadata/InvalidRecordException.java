package io.github.pybundle.core.spec.metadata;

/** A RECORD row that cannot be read; the message names the entry, and the reader of the wheel names the wheel. */
public class InvalidRecordException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidRecordException(String problem) {
        super(problem);
    }
}

package io.github.pybundle.core.launch;

/** Quoting for POSIX sh, so generated scripts survive spaces and quotes in paths and arguments. */
final class ShellQuoting {
    private ShellQuoting() {
    }

    /** Quotes {@code s} as one sh word: single quotes, with each {@code '} written as {@code '\''}. */
    static String quote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || "-_./=:,+@%".indexOf(c) >= 0)) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}

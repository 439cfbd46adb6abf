package io.github.pybundle.core.spec.name;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Python distribution name, kept as written and in its normalised form.
 *
 * @see <a href="https://peps.python.org/pep-0503/#normalized-names">PEP 503, normalized names</a>
 * @see <a href="https://packaging.python.org/en/latest/specifications/name-normalization/">Name normalization</a>
 */
public final class ProjectName implements Comparable<ProjectName> {
    // The core metadata spec: starts and ends with a letter or digit; '.', '_' and '-' only inside.
    private static final Pattern VALID = Pattern.compile("^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", Pattern.CASE_INSENSITIVE);
    private static final Pattern SEPARATOR_RUN = Pattern.compile("[-_.]+");

    private final String original;
    private final String normalized;

    private ProjectName(String original) {
        this.original = original;
        this.normalized = SEPARATOR_RUN.matcher(original).replaceAll("-").toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a distribution name.
     *
     * @throws InvalidNameException when the name is not valid per the core metadata specification
     */
    public static ProjectName of(String name) {
        Objects.requireNonNull(name, "name");
        if (!isValid(name)) {
            throw new InvalidNameException(name);
        }
        return new ProjectName(name);
    }

    /** Whether {@code name} is a valid distribution name (ASCII letters, digits, and inner {@code . _ -}). */
    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** The PEP 503 form: lower case, each run of {@code -_.} replaced by one {@code -}. */
    public static String normalize(String name) {
        return SEPARATOR_RUN.matcher(name).replaceAll("-").toLowerCase(Locale.ROOT);
    }

    /** The name as the user wrote it. */
    public String original() {
        return original;
    }

    /** The PEP 503 normalised name, the identity of the project. */
    public String normalized() {
        return normalized;
    }

    /**
     * The form used in wheel and sdist file names and {@code .dist-info} directories: normalised with {@code _} in
     * place of {@code -} (binary distribution format, "Escaping and Unicode").
     */
    public String escaped() {
        return normalized.replace('-', '_');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProjectName && ((ProjectName) o).normalized.equals(normalized);
    }

    @Override
    public int hashCode() {
        return normalized.hashCode();
    }

    @Override
    public int compareTo(ProjectName o) {
        return normalized.compareTo(o.normalized);
    }

    @Override
    public String toString() {
        return original;
    }
}

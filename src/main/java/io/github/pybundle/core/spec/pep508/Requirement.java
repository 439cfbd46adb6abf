package io.github.pybundle.core.spec.pep508;

import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.InvalidSpecifierException;
import io.github.pybundle.core.spec.pep440.SpecifierSet;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A PEP 508 dependency specifier: {@code name[extras] specifiers ; marker} or {@code name[extras] @ url ; marker}.
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/dependency-specifiers/">Dependency specifiers</a>
 */
public final class Requirement {
    private final String name;
    private final SortedSet<String> extras;
    private final SpecifierSet specifier;
    private final String url;
    private final Marker marker;

    private Requirement(String name, SortedSet<String> extras, SpecifierSet specifier, String url, Marker marker) {
        this.name = name;
        this.extras = Collections.unmodifiableSortedSet(extras);
        this.specifier = specifier;
        this.url = url;
        this.marker = marker;
    }

    /**
     * Parses a requirement string.
     *
     * @throws InvalidRequirementException when {@code text} does not follow the grammar; the message has a caret
     */
    public static Requirement parse(String text) {
        Parser.Parsed p = Parser.requirement(text);
        SpecifierSet specifier;
        try {
            specifier = SpecifierSet.parse(p.specifier());
        } catch (InvalidSpecifierException e) {
            // The tokenizer admits only well-formed specifiers; this is a defensive re-check.
            throw new InvalidRequirementException(text, e.getMessage(), 0, text.length());
        }
        return new Requirement(p.name(), new TreeSet<>(p.extras()), specifier, p.url().isEmpty() ? null : p.url(),
                p.marker() == null ? null : Marker.of(p.marker()));
    }

    /** The project name as written. */
    public String name() {
        return name;
    }

    /** The PEP 503 normalised project name. */
    public String normalizedName() {
        return ProjectName.normalize(name);
    }

    /** The extras as written, sorted. */
    public SortedSet<String> extras() {
        return extras;
    }

    /** The extras, normalised (PEP 685). */
    public Set<String> normalizedExtras() {
        return extras.stream().map(ProjectName::normalize).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The version specifiers; empty when any version will do or a URL is given. */
    public SpecifierSet specifier() {
        return specifier;
    }

    /** The direct URL, or null. */
    public String url() {
        return url;
    }

    /** The marker, or null when the requirement always applies. */
    public Marker marker() {
        return marker;
    }

    /** Whether the requirement applies in {@code environment} with {@code extra} requested (null: none). */
    public boolean appliesTo(MarkerEnvironment environment, String extra) {
        return marker == null || marker.evaluate(environment, extra);
    }

    /** The canonical form, e.g. {@code name[a,b]<2,>=1; python_version >= "3.8"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name);
        if (!extras.isEmpty()) {
            sb.append('[').append(String.join(",", extras)).append(']');
        }
        if (!specifier.isEmpty()) {
            sb.append(specifier);
        }
        if (url != null) {
            sb.append("@ ").append(url);
            if (marker != null) {
                sb.append(' ');
            }
        }
        if (marker != null) {
            sb.append("; ").append(marker);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Requirement)) {
            return false;
        }
        Requirement r = (Requirement) o;
        return normalizedName().equals(r.normalizedName()) && normalizedExtras().equals(r.normalizedExtras())
                && specifier.equals(r.specifier) && Objects.equals(url, r.url) && Objects.equals(marker, r.marker);
    }

    @Override
    public int hashCode() {
        return Objects.hash(normalizedName(), normalizedExtras(), specifier, url, marker);
    }
}

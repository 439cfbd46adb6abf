package io.github.pybundle.core.resolve;

import io.github.pybundle.core.spec.pep508.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the resolver decides one version for: a project, or one extra of it.
 *
 * <p>An extra is a virtual project that depends on its project at the same version plus the extra's dependencies, so
 * {@code foo[bar]} and {@code foo} are decided separately and kept in step.
 *
 * @param name the normalised project name
 * @param extra the normalised extra, or null for the project itself
 */
public record Key(String name, String extra) {
    public Key {
        Objects.requireNonNull(name, "name");
    }

    /** The project itself. */
    public static Key of(String name) {
        return new Key(name, null);
    }

    /** What a requirement constrains: its project, then one key per extra it asks for. */
    public static List<Key> identify(Requirement requirement) {
        List<Key> keys = new ArrayList<>();
        keys.add(of(requirement.normalizedName()));
        requirement.normalizedExtras().forEach(e -> keys.add(new Key(requirement.normalizedName(), e)));
        return keys;
    }

    /** Whether this is an extra rather than the project itself. */
    public boolean isExtra() {
        return extra != null;
    }

    /** The project this key belongs to. */
    public Key base() {
        return extra == null ? this : of(name);
    }

    /** {@code name} or {@code name[extra]}, as messages show it. */
    @Override
    public String toString() {
        return extra == null ? name : name + "[" + extra + "]";
    }
}

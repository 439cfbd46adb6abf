package io.github.pybundle.core.sbom;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of the SBOM: a CycloneDX component. The bundle's Python packages are made by {@link WheelComponents};
 * anything else that ships with the bundle (an interpreter as a {@link Type#PLATFORM}, JARs as {@link Type#LIBRARY}
 * with a {@code pkg:maven} purl) is a {@code Component} built with the constructor and passed to {@link SbomWriter}
 * in the same list.
 *
 * @param type the CycloneDX component type
 * @param group the group (a Maven groupId), or null
 * @param name the name
 * @param version the version, or null
 * @param purl the package URL ({@link Purl}), or null; also the component's {@code bom-ref} when set
 * @param sha256 the SHA-256 of the file the component was taken from (hex), or null
 * @param licenses the declared licences: either one {@link License#expression expression} or any number of
 *     {@link License#named named} licences
 * @param references external references (e.g. SBOMs shipped inside the component)
 * @param properties name/value properties
 */
public record Component(Type type, String group, String name, String version, String purl, String sha256,
                        List<License> licenses, List<Reference> references, List<Property> properties) {
    public Component {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        licenses = List.copyOf(licenses);
        references = List.copyOf(references);
        properties = List.copyOf(properties);
        if (licenses.size() > 1 && licenses.stream().anyMatch(l -> l.expression() != null)) {
            // CycloneDX: the licenses array holds one expression or any number of licences, never both.
            throw new IllegalArgumentException("a licence expression must be the only licence of " + name);
        }
    }

    /** A component with only a type, coordinates and purl. */
    public static Component of(Type type, String group, String name, String version, String purl) {
        return new Component(type, group, name, version, purl, null, List.of(), List.of(), List.of());
    }

    /** CycloneDX component types this SBOM uses. */
    public enum Type {
        /** The project itself ({@code metadata.component}) or a tool. */
        APPLICATION,
        /** A Python package, a JAR. */
        LIBRARY,
        /** A framework such as Spark. */
        FRAMEWORK,
        /** An interpreter or runtime. */
        PLATFORM,
        /** A file without package identity. */
        FILE;

        /** The name in CycloneDX JSON. */
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A declared licence: an SPDX {@code expression}, or a {@code name} with optionally its full {@code text}.
     *
     * @param expression an SPDX licence expression, or null
     * @param name a licence name (free text), or null
     * @param text the licence's full text, or null
     */
    public record License(String expression, String name, String text) {
        public License {
            if ((expression == null) == (name == null)) {
                throw new IllegalArgumentException("a licence has an expression or a name");
            }
        }

        /** An SPDX licence expression, e.g. {@code MIT OR Apache-2.0}. */
        public static License expression(String expression) {
            return new License(expression, null, null);
        }

        /** A licence known by name only. */
        public static License named(String name) {
            return new License(null, name, null);
        }

        /** A licence with its name and full text. */
        public static License named(String name, String text) {
            return new License(null, name, text);
        }
    }

    /**
     * A CycloneDX external reference.
     *
     * @param type the CycloneDX reference type ({@code bom}, {@code website}, {@code distribution}, ...)
     * @param url an IRI reference (absolute, or relative as explained in {@code comment})
     * @param comment what the reference is, or null
     * @param sha256 the SHA-256 of what it points at (hex), or null
     */
    public record Reference(String type, String url, String comment, String sha256) {
        public Reference {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(url, "url");
        }
    }

    /**
     * A name/value property; names are namespaced ({@code pybundle:wheel}).
     *
     * @param name the property name
     * @param value its value
     */
    public record Property(String name, String value) {
        public Property {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }
}

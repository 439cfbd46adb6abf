package io.github.pybundle.core.spec.pep440;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The laws a total order and a normal form must obey, checked on generated versions. */
class VersionPropertiesTest {
    @Provide
    Arbitrary<String> versions() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.integers().between(0, 12).map(String::valueOf),
                Arbitraries.bigIntegers().between(java.math.BigInteger.ZERO, new java.math.BigInteger("9".repeat(25)))
                        .map(String::valueOf));
        Arbitrary<String> release = number.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
        Arbitrary<String> epoch = Arbitraries.oneOf(Arbitraries.just(""), number.map(n -> n + "!"));
        Arbitrary<String> pre = Arbitraries.oneOf(Arbitraries.just(""),
                Combinators.combine(Arbitraries.of("a", "b", "rc", "alpha", "BETA", "c", "pre", "preview"),
                        Arbitraries.of("", ".", "-", "_"), number).as((l, s, n) -> s + l + n));
        Arbitrary<String> post = Arbitraries.oneOf(Arbitraries.just(""), number.map(n -> ".post" + n),
                number.map(n -> "-" + n), number.map(n -> "rev" + n));
        Arbitrary<String> dev = Arbitraries.oneOf(Arbitraries.just(""), number.map(n -> ".dev" + n),
                Arbitraries.just("dev"));
        Arbitrary<String> local = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.of("ubuntu", "1", "abc", "7", "cpu").list().ofMinSize(1).ofMaxSize(3)
                        .map(l -> "+" + String.join(".", l)));
        return Combinators.combine(epoch, release, pre, post, dev, local).as((e, r, p, po, d, l) ->
                e + r + p + po + d + l);
    }

    @Property
    void normalForm_isAFixedPointAndDenotesTheSameVersion(@ForAll("versions") String text) {
        Version v = Version.parse(text);
        Version again = Version.parse(v.toString());
        assertEquals(v.toString(), again.toString());
        assertEquals(v, again);
        assertEquals(0, v.compareTo(again));
    }

    @Property
    void compareTo_isAntisymmetricAndConsistentWithEqualsAndHashCode(@ForAll("versions") String a,
                                                                      @ForAll("versions") String b) {
        Version x = Version.parse(a);
        Version y = Version.parse(b);
        assertEquals(Integer.signum(x.compareTo(y)), -Integer.signum(y.compareTo(x)));
        assertEquals(x.compareTo(y) == 0, x.equals(y));
        if (x.equals(y)) {
            assertEquals(x.hashCode(), y.hashCode());
        }
    }

    @Property
    void compareTo_isTransitive(@ForAll("versions") String a, @ForAll("versions") String b,
                                @ForAll("versions") String c) {
        Version x = Version.parse(a);
        Version y = Version.parse(b);
        Version z = Version.parse(c);
        if (x.compareTo(y) <= 0 && y.compareTo(z) <= 0) {
            assertTrue(x.compareTo(z) <= 0, x + " <= " + y + " <= " + z);
        }
    }

    @Property
    void trailingZeroReleaseSegments_doNotChangeTheVersion(@ForAll("versions") String text) {
        Version v = Version.parse(text);
        String base = v.baseVersion().toString(); // epoch and release: the normal form starts with it
        String padded = base + ".0.0" + v.toString().substring(base.length());
        assertEquals(v, Version.parse(padded));
        assertEquals(v.toString(), Version.parse(padded).toString().replace(base + ".0.0", base));
    }

    @Property
    void specifiers_admitTheirOwnVersion(@ForAll("versions") String text) {
        Version v = Version.parse(text);
        assertTrue(SpecifierSet.parse("==" + v).contains(v, true));
        assertTrue(SpecifierSet.parse(">=" + v.publicVersion()).contains(v, true));
        assertTrue(SpecifierSet.parse("<=" + v.publicVersion()).contains(v, true));
        assertFalse(SpecifierSet.parse("!=" + v).contains(v, true));
        assertFalse(SpecifierSet.parse("<" + v.publicVersion()).contains(v, true));
        if (v.release().size() >= 2) {
            assertTrue(SpecifierSet.parse("~=" + v.publicVersion()).contains(v, true));
        }
    }

    @Property
    void specifierSetText_roundTrips(@ForAll("versions") String a, @ForAll("versions") String b) {
        String text = ">=" + Version.parse(a).publicVersion() + ", !=" + b + " ,<" + Version.parse(b).publicVersion();
        SpecifierSet s = SpecifierSet.parse(text);
        assertEquals(s, SpecifierSet.parse(s.toString()));
        assertEquals(s.toString(), SpecifierSet.parse(s.toString()).toString());
    }
}

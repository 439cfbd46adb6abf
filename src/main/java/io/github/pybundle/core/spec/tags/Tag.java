package io.github.pybundle.core.spec.tags;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A PEP 425 compatibility tag: interpreter, ABI and platform, e.g. {@code cp38-cp38-manylinux_2_17_x86_64}. Stored
 * lower-case, as the reference implementation compares them.
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/">Platform compatibility tags</a>
 */
public record Tag(String interpreter, String abi, String platform) {
    public Tag {
        interpreter = interpreter.toLowerCase(Locale.ROOT);
        abi = abi.toLowerCase(Locale.ROOT);
        platform = platform.toLowerCase(Locale.ROOT);
    }

    /**
     * Expands a compressed tag set such as {@code py2.py3-none-any} or
     * {@code cp38-cp38-manylinux_2_17_x86_64.manylinux2014_x86_64} into its tags.
     *
     * @throws IllegalArgumentException when {@code text} does not have three dash-separated parts
     */
    public static Set<Tag> parseSet(String text) {
        String[] parts = text.split("-", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("'" + text + "' is not a tag: it needs interpreter-abi-platform");
        }
        Set<Tag> tags = new LinkedHashSet<>();
        for (String i : parts[0].split("\\.", -1)) {
            for (String a : parts[1].split("\\.", -1)) {
                for (String p : parts[2].split("\\.", -1)) {
                    tags.add(new Tag(i, a, p));
                }
            }
        }
        return tags;
    }

    @Override
    public String toString() {
        return interpreter + "-" + abi + "-" + platform;
    }
}

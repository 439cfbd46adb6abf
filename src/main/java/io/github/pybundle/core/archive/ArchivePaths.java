package io.github.pybundle.core.archive;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Finds paths of one archive that name the same file once unpacked where names are compared case-insensitively
 * (macOS, Windows, some HDFS gateways) or after Unicode normalisation: {@code Pkg/a.py} and {@code pkg/a.py} are
 * two entries in the archive but one file there, and which one wins depends on the order of extraction.
 */
final class ArchivePaths {
    private final Map<String, String> folded = new HashMap<>();

    /** Records {@code path}; returns the earlier path that folds to the same name, or null. */
    String collision(String path) {
        String key = Normalizer.normalize(path, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        String previous = folded.putIfAbsent(key, path);
        return previous == null || previous.equals(path) ? null : previous;
    }
}

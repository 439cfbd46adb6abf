package io.github.pybundle.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/** Reads a zip written by the code under test: names in order, contents, and raw entries. */
public final class ZipContents {
    private ZipContents() {
    }

    /** Entry names in the order of the central directory. */
    public static List<String> names(Path zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            for (ZipArchiveEntry e : java.util.Collections.list(z.getEntriesInPhysicalOrder())) {
                names.add(e.getName());
            }
        }
        return names;
    }

    /** The entries themselves, for their header fields. */
    public static List<ZipArchiveEntry> entries(Path zip) throws IOException {
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            return java.util.Collections.list(z.getEntriesInPhysicalOrder());
        }
    }

    /** Every file entry's content as UTF-8 text, by name. */
    public static Map<String, String> texts(Path zip) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            for (ZipArchiveEntry e : java.util.Collections.list(z.getEntriesInPhysicalOrder())) {
                if (!e.isDirectory()) {
                    texts.put(e.getName(), new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return texts;
    }

    /** One entry's bytes. */
    public static byte[] bytes(Path zip, String name) throws IOException {
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            ZipArchiveEntry e = z.getEntry(name);
            if (e == null) {
                throw new IOException("no entry " + name + " in " + zip);
            }
            return z.getInputStream(e).readAllBytes();
        }
    }
}

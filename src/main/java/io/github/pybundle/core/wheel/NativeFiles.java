package io.github.pybundle.core.wheel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pybundle.core.spec.elf.ElfFile;
import io.github.pybundle.core.spec.elf.LinuxPlatform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The ELF files of one wheel (found by their content, whatever their names), as read while the wheel was checked:
 * what {@link NativeCheck} compares with the target, remembered beside a checked wheel so that later builds need not
 * read it again.
 *
 * @param files the wheel's ELF files, in archive order
 */
public record NativeFiles(List<File> files) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

    public NativeFiles {
        files = List.copyOf(files);
    }

    /**
     * One ELF file of a wheel.
     *
     * @param path its path inside the wheel
     * @param elf what it needs, or null when it could not be read
     * @param problem why it could not be read, or null
     */
    public record File(String path, ElfFile elf, String problem) {
    }

    /** A wheel without ELF files. */
    public static NativeFiles none() {
        return new NativeFiles(List.of());
    }

    /**
     * The highest glibc any of the files needs ({@code 2.17} when one needs {@code GLIBC_2.17}), or null when none
     * needs glibc.
     */
    public String highestGlibc() {
        String max = null;
        for (File f : files) {
            if (f.elf() == null) {
                continue;
            }
            for (ElfFile.VersionNeed n : f.elf().versionNeeds()) {
                for (String v : n.versions()) {
                    if (v.startsWith("GLIBC_") && LinuxPlatform.isNumeric(v.substring("GLIBC_".length()))) {
                        String version = v.substring("GLIBC_".length());
                        if (max == null || LinuxPlatform.compareVersions(version, max) > 0) {
                            max = version;
                        }
                    }
                }
            }
        }
        return max;
    }

    /** As JSON, for the marker of a checked wheel. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode().put("format", FORMAT);
        ArrayNode elf = root.putArray("elf");
        for (File f : files) {
            ObjectNode o = elf.addObject().put("path", f.path());
            if (f.elf() == null) {
                o.put("problem", f.problem());
                continue;
            }
            ElfFile e = f.elf();
            o.put("bits", e.bits()).put("littleEndian", e.littleEndian()).put("type", e.type())
                    .put("machine", e.machine());
            if (e.soname() != null) {
                o.put("soname", e.soname());
            }
            e.needed().forEach(o.putArray("needed")::add);
            e.rpath().forEach(o.putArray("rpath")::add);
            e.runpath().forEach(o.putArray("runpath")::add);
            ArrayNode needs = o.putArray("versionNeeds");
            for (ElfFile.VersionNeed n : e.versionNeeds()) {
                ObjectNode vn = needs.addObject().put("file", n.file());
                n.versions().forEach(vn.putArray("versions")::add);
            }
        }
        return root.toString() + "\n";
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws IOException when it is not such JSON (a marker of another format or a damaged one)
     */
    public static NativeFiles fromJson(String text) throws IOException {
        JsonNode root = JSON.readTree(text);
        if (root == null || root.path("format").asInt() != FORMAT || !root.path("elf").isArray()) {
            throw new IOException("not a list of native files of format " + FORMAT);
        }
        List<File> files = new ArrayList<>();
        for (JsonNode o : root.path("elf")) {
            String path = text(o, "path");
            if (o.has("problem")) {
                files.add(new File(path, null, text(o, "problem")));
                continue;
            }
            List<ElfFile.VersionNeed> needs = new ArrayList<>();
            for (JsonNode vn : o.path("versionNeeds")) {
                needs.add(new ElfFile.VersionNeed(text(vn, "file"), strings(vn.path("versions"))));
            }
            files.add(new File(path, new ElfFile(o.path("bits").asInt(), o.path("littleEndian").asBoolean(),
                    o.path("type").asInt(), o.path("machine").asInt(), o.has("soname") ? text(o, "soname") : null,
                    strings(o.path("needed")), strings(o.path("rpath")), strings(o.path("runpath")), needs), null));
        }
        return new NativeFiles(files);
    }

    private static String text(JsonNode o, String field) throws IOException {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("'" + field + "' missing");
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

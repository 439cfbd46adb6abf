package io.github.pybundle.core.spec.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.pybundle.testing.ElfBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential: the reader against binutils' {@code readelf -d -V} on real ELF files of this machine (libstdc++, libc,
 * CPython's extension modules of every pyenv version) and on the files {@link ElfBuilder} makes; read whole and
 * streamed with a small first-pass prefix. Skipped where readelf is absent.
 */
class ElfReaderReadelfTest {
    private static final Pattern NEEDED = Pattern.compile("\\((NEEDED|SONAME|RPATH|RUNPATH)\\)\\s+\\S.*?: \\[(.*)]");
    private static final Pattern FILE = Pattern.compile("Version: \\d+\\s+File: (\\S+)\\s+Cnt: \\d+");
    private static final Pattern NAME = Pattern.compile("^\\s+0x[0-9a-f]+:\\s+Name: (\\S+)\\s+Flags:");

    static Stream<Path> realFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String lib : List.of("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6",
                "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/bin/ls")) {
            if (Files.isRegularFile(Path.of(lib))) {
                files.add(Path.of(lib).toRealPath());
            }
        }
        Path pyenv = Path.of(System.getProperty("user.home"), ".pyenv", "versions");
        if (Files.isDirectory(pyenv)) {
            try (Stream<Path> versions = Files.list(pyenv)) {
                for (Path v : versions.sorted().toList()) {
                    try (Stream<Path> lib = Files.list(v.resolve("lib"))) {
                        for (Path py : lib.filter(p -> p.getFileName().toString().matches("python\\d\\.\\d+"))
                                .toList()) {
                            Path dynload = py.resolve("lib-dynload");
                            if (Files.isDirectory(dynload)) {
                                try (Stream<Path> so = Files.list(dynload)) {
                                    so.filter(p -> p.toString().endsWith(".so")).sorted().limit(6)
                                            .forEach(files::add);
                                }
                            }
                        }
                    } catch (IOException noLib) {
                        // not a CPython
                    }
                }
            }
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("realFiles")
    void read_agreesWithReadelf(Path file) throws Exception {
        assumeTrue(readelf(), "readelf is not installed");
        byte[] bytes = Files.readAllBytes(file);
        ElfFile f = ElfReader.read(bytes);
        assertEquals(readelf(file), summary(f), file.toString());
        assertEquals(f, ElfReaderTest.streamed(bytes, 4096, 65536), "streamed: " + file);
    }

    @Test
    void builtFiles_agreeWithReadelf(@TempDir Path dir) throws Exception {
        assumeTrue(readelf(), "readelf is not installed");
        List<ElfBuilder> builders = ElfReaderTest.layouts().toList();
        for (int i = 0; i < builders.size(); i++) {
            Path file = Files.write(dir.resolve("built" + i + ".so"), builders.get(i).build());
            assertEquals(readelf(file), summary(ElfReader.read(Files.readAllBytes(file))), "layout " + i);
        }
    }

    @Test
    void realFiles_areThere() throws IOException {
        assumeTrue(readelf(), "readelf is not installed");
        assertTrue(realFiles().count() > 0, "no ELF file of this machine found to compare with");
    }

    // The facts in readelf's words: "NEEDED x", "SONAME x", "RPATH a:b", "RUNPATH a:b", "FILE f", "VERSION v".
    private static List<String> summary(ElfFile f) {
        List<String> out = new ArrayList<>();
        f.needed().forEach(n -> out.add("NEEDED " + n));
        if (f.soname() != null) {
            out.add("SONAME " + f.soname());
        }
        if (!f.rpath().isEmpty()) {
            out.add("RPATH " + String.join(":", f.rpath()));
        }
        if (!f.runpath().isEmpty()) {
            out.add("RUNPATH " + String.join(":", f.runpath()));
        }
        for (ElfFile.VersionNeed n : f.versionNeeds()) {
            out.add("FILE " + n.file());
            n.versions().forEach(v -> out.add("VERSION " + v));
        }
        return out;
    }

    // readelf's dynamic entries (in the order summary() gives them) and version needs.
    private static List<String> readelf(Path file) throws Exception {
        Process p = new ProcessBuilder("readelf", "-d", "-V", "-W", file.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> needed = new ArrayList<>();
        List<String> soname = new ArrayList<>();
        List<String> rpath = new ArrayList<>();
        List<String> runpath = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        boolean inNeeds = false;
        for (String line : out.split("\n")) {
            Matcher m = NEEDED.matcher(line);
            if (m.find()) {
                switch (m.group(1)) {
                    case "NEEDED" -> needed.add("NEEDED " + m.group(2));
                    case "SONAME" -> soname.add("SONAME " + m.group(2));
                    case "RPATH" -> rpath.add("RPATH " + m.group(2));
                    default -> runpath.add("RUNPATH " + m.group(2));
                }
                continue;
            }
            if (line.startsWith("Version needs section")) {
                inNeeds = true;
            } else if (line.startsWith("Version ") || line.isBlank()) {
                inNeeds = false;
            }
            if (inNeeds) {
                Matcher f = FILE.matcher(line);
                Matcher n = NAME.matcher(line);
                if (f.find()) {
                    versions.add("FILE " + f.group(1));
                } else if (n.find()) {
                    versions.add("VERSION " + n.group(1));
                }
            }
        }
        List<String> all = new ArrayList<>(needed);
        all.addAll(soname);
        all.addAll(rpath);
        all.addAll(runpath);
        all.addAll(versions);
        return all;
    }

    private static boolean readelf() {
        try {
            return new ProcessBuilder("readelf", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}

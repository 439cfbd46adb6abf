package io.github.pybundle.core.wheel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.archive.ArchiveContent;
import io.github.pybundle.core.archive.ArchiveWriter;
import io.github.pybundle.core.spec.metadata.EntryDigest;
import io.github.pybundle.core.wheel.WheelDestination.Scheme;
import io.github.pybundle.testing.TestWheels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The installer says what each file of a wheel is; a destination that records what it is told. */
class WheelInstallerTest {
    @TempDir
    Path dir;

    /** Places everything at "scheme:path" and remembers the calls. */
    private static final class Recording implements WheelDestination {
        private final Set<Scheme> schemes;
        final List<String> calls = new ArrayList<>();
        final Map<String, ArchiveContent> contents = new LinkedHashMap<>();

        Recording(Set<Scheme> schemes) {
            this.schemes = schemes;
        }

        @Override
        public Set<Scheme> schemes() {
            return schemes;
        }

        @Override
        public String writeFile(WheelSource source, Scheme scheme, String path, ArchiveContent content,
                                boolean executable) {
            String where = scheme.name().toLowerCase(Locale.ROOT) + ":" + path;
            calls.add(where + (executable ? " x" : ""));
            contents.put(where, content);
            return where;
        }

        @Override
        public String writeScript(WheelSource source, String name, ArchiveContent content) {
            calls.add("entry point " + name);
            contents.put("entry point " + name, content);
            return "bin/" + name;
        }
    }

    private Path wheel(Map<String, String> files) throws Exception {
        TestWheels.Spec spec = new TestWheels.Spec("tool", "1.0", "py3-none-any", List.of(), null, files);
        Path p = dir.resolve(spec.filename());
        Files.write(p, TestWheels.build(spec));
        return p;
    }

    // What a content writes, as text.
    private static String text(ArchiveContent content) throws IOException {
        StringBuilder sb = new StringBuilder();
        content.write(new ArchiveWriter() {
            @Override
            public void addDirectory(String name) {
            }

            @Override
            public EntryDigest addStream(String name, InputStream in, long size, int mode) throws IOException {
                sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                return null;
            }

            @Override
            public void addRaw(String name, ZipArchiveEntry source, InputStream raw, int mode) {
                sb.append("raw ").append(name);
            }

            @Override
            public void commit() {
            }

            @Override
            public void close() {
            }
        }, "f", 0100644);
        return sb.toString();
    }

    @Test
    void mapsEachDataSchemeMakesScriptsRelocatableAndReportsWhereDataFilesWent() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("tool/__init__.py", "");
        files.put("tool-1.0.data/purelib/extra.py", "");
        files.put("tool-1.0.data/scripts/run", "#!python\nprint('run')\n");
        files.put("tool-1.0.data/headers/tool.h", "");
        files.put("tool-1.0.data/data/share/tool.txt", "");
        files.put("tool-1.0.dist-info/entry_points.txt", "[console_scripts]\ntool-cli = tool:main\n");
        try (WheelSource w = WheelSource.open(wheel(files))) {
            Recording all = new Recording(EnumSet.allOf(Scheme.class));
            List<WheelInstaller.Moved> moved = WheelInstaller.install(w, all);
            assertTrue(all.calls.containsAll(List.of("purelib:tool/__init__.py", "purelib:extra.py", "scripts:run x",
                    "headers:tool.h", "data:share/tool.txt")), all.calls.toString());
            assertEquals("entry point tool-cli", all.calls.get(all.calls.size() - 1), "entry points come last");
            assertEquals(WheelInstaller.RELOCATABLE_SHEBANG + "print('run')\n", text(all.contents.get("scripts:run")));
            assertTrue(text(all.contents.get("entry point tool-cli")).startsWith(WheelInstaller.RELOCATABLE_SHEBANG
                    + "import re\n"));
            assertTrue(text(all.contents.get("purelib:extra.py")).startsWith("raw "), "wheel files are copied raw");
            assertTrue(moved.contains(new WheelInstaller.Moved("tool-1.0.data/headers/tool.h", "headers:tool.h")),
                    moved.toString());
            assertEquals(4, moved.size(), "only .data files leave their RECORD path: " + moved);

            Recording site = new Recording(EnumSet.of(Scheme.PURELIB, Scheme.PLATLIB));
            WheelInstaller.install(w, site);
            assertTrue(site.calls.stream().allMatch(c -> c.startsWith("purelib:")), site.calls.toString());
        }
    }

    @Test
    void anUnknownDataDirectoryIsRefusedByAFullInstallAndLeftOutOfAPartialOne() throws Exception {
        try (WheelSource w = WheelSource.open(wheel(Map.of("tool/__init__.py", "", "tool-1.0.data/weird/x", "")))) {
            UnsafeWheelException e = assertThrows(UnsafeWheelException.class, () -> WheelInstaller.install(w,
                    new Recording(EnumSet.allOf(Scheme.class))));
            assertEquals("tool-1.0-py3-none-any.whl: entry 'tool-1.0.data/weird/x' is in an unknown .data directory",
                    e.getMessage());
            Recording site = new Recording(EnumSet.of(Scheme.PURELIB, Scheme.PLATLIB));
            WheelInstaller.install(w, site);
            assertEquals(List.of("purelib:tool/__init__.py"), site.calls.stream()
                    .filter(c -> !c.contains(".dist-info/")).toList());
        }
    }
}

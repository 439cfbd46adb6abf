package io.github.pybundle.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.spec.metadata.EntryDigest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.junit.jupiter.api.Test;

/** The archive plan both bundle builders write through: order, directories, duplicates and conflicts. */
class ArchivePlanTest {
    /** Records what the plan writes, in order. */
    private static final class Recorder implements ArchiveWriter {
        final List<String> written = new ArrayList<>();

        @Override
        public void addDirectory(String name) {
            written.add(name);
        }

        @Override
        public EntryDigest addStream(String name, InputStream in, long size, int mode) throws java.io.IOException {
            written.add(name + " " + Integer.toOctalString(mode) + " " + new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            return null;
        }

        @Override
        public void addRaw(String name, ZipArchiveEntry source, InputStream raw, int mode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void commit() {
        }

        @Override
        public void close() {
        }
    }

    /** Conflicts as strings: different files throw, case-only ones are noted. */
    private static final class Noted implements ArchivePlan.Conflicts {
        final List<String> caseOnly = new ArrayList<>();

        @Override
        public RuntimeException differentFiles(String path, String origin, String earlierOrigin) {
            return new IllegalStateException(origin + ": " + path + " also from " + earlierOrigin);
        }

        @Override
        public void caseOnly(String path, String origin, String earlier, String earlierOrigin) {
            caseOnly.add(origin + ": " + path + " ~ " + earlier + " (" + earlierOrigin + ")");
        }
    }

    private static ArchiveContent text(String s, ArchiveContent.Identity identity) {
        ArchiveContent bytes = ArchiveContent.bytes(s.getBytes(StandardCharsets.UTF_8));
        return new ArchiveContent() {
            @Override
            public void write(ArchiveWriter out, String name, int mode) throws java.io.IOException {
                bytes.write(out, name, mode);
            }

            @Override
            public Identity identity() {
                return identity;
            }
        };
    }

    @Test
    void writesSortedWithEveryParentDirectoryOnce() throws Exception {
        ArchivePlan plan = new ArchivePlan(new Noted());
        plan.add("b/c/d.py", text("d", null), 0100644, "w1");
        plan.add("a.py", text("a", null), 0100755, "w1");
        plan.add("b/x.py", text("x", null), 0100644, "w2");
        Recorder out = new Recorder();
        plan.write(out);
        assertEquals(List.of("a.py 100755 a", "b/", "b/c/", "b/c/d.py 100644 d", "b/x.py 100644 x"), out.written);
    }

    @Test
    void anIdenticalFileIsKeptOnceAndADifferentOneNamesBothOrigins() throws Exception {
        ArchivePlan plan = new ArchivePlan(new Noted());
        ArchiveContent.Identity empty = new ArchiveContent.Identity("sha256=47DEQpj8", 0);
        plan.add("ns/__init__.py", text("", empty), 0100644, "ns_a.whl");
        plan.add("ns/__init__.py", text("", new ArchiveContent.Identity("sha256=47DEQpj8", 0)), 0100644, "ns_b.whl");
        Recorder out = new Recorder();
        plan.write(out);
        assertEquals(List.of("ns/", "ns/__init__.py 100644 "), out.written, "one copy, the first");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> plan.add("ns/__init__.py",
                text("import os\n", new ArchiveContent.Identity("sha256=other", 10)), 0100644, "ns_c.whl"));
        assertEquals("ns_c.whl: ns/__init__.py also from ns_a.whl", e.getMessage());
        assertThrows(IllegalStateException.class, () -> plan.add("ns/__init__.py", text("", null), 0100644,
                "generated"), "no identity: never the same file");
    }

    @Test
    void caseOnlyCollisionsGoToThePolicyAndArePlannedWhenItReturns() throws Exception {
        Noted conflicts = new Noted();
        ArchivePlan plan = new ArchivePlan(conflicts);
        plan.add("Shared/mod.py", text("1", null), 0100644, "upper.whl");
        plan.add("shared/mod.py", text("2", null), 0100644, "lower.whl");
        assertEquals(List.of("lower.whl: shared/mod.py ~ Shared/mod.py (upper.whl)"), conflicts.caseOnly);
        assertTrue(plan.contains("shared/mod.py"));
        RuntimeException refused = new IllegalStateException("refused");
        ArchivePlan strict = new ArchivePlan(new ArchivePlan.Conflicts() {
            @Override
            public RuntimeException differentFiles(String path, String origin, String earlierOrigin) {
                return refused;
            }

            @Override
            public void caseOnly(String path, String origin, String earlier, String earlierOrigin) {
                throw refused;
            }
        });
        strict.add("A.py", text("1", null), 0100644, "x");
        assertSame(refused, assertThrows(IllegalStateException.class, () -> strict.add("a.py", text("2", null),
                0100644, "y")));
        assertFalse(strict.contains("a.py"), "a refused path is not planned");
    }
}

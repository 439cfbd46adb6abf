package io.github.pybundle.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.cache.HashMismatchException;
import io.github.pybundle.core.spec.metadata.CoreMetadataFile;
import io.github.pybundle.testing.TestIndexServer.Fault;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexClientTest {
    @TempDir
    Path dir;
    TestIndexServer server;
    IndexTestSupport t;
    PackageSource index;

    @BeforeEach
    void start() throws Exception {
        server = new TestIndexServer();
        t = new IndexTestSupport(dir.resolve("cache"));
        index = PackageSource.of("test", server.indexUrl(), PackageSource.Kind.INDEX, "indexUrl");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "html={0}")
    @ValueSource(booleans = {false, true})
    void project_readsJsonAndHtmlPagesWithYankedRequiresPythonHashesAndMetadata(boolean html) throws Exception {
        server.serveHtml(html);
        TestIndexServer.File a = server.add(TestWheels.pure("demo", "1.0"));
        TestIndexServer.File b = server.add(TestWheels.pure("demo", "2.0"));
        b.requiresPython = ">=3.9";
        b.yanked = "broken build";
        a.metadataFile = false;
        ProjectPage page = t.client.project(index, "demo");
        assertEquals(List.of("demo-1.0-py3-none-any.whl", "demo-2.0-py3-none-any.whl"),
                page.files().stream().map(DistributionFile::filename).toList());
        DistributionFile f1 = page.files().get(0);
        DistributionFile f2 = page.files().get(1);
        assertEquals(TestWheels.sha256Hex(a.content), f1.sha256());
        assertEquals(server.fileUrl("demo-1.0-py3-none-any.whl"), f1.url().toString());
        assertNull(f1.metadataUrl());
        assertFalse(f1.isYanked());
        assertEquals(">=3.9", f2.requiresPython());
        assertEquals("broken build", f2.yanked());
        assertEquals(TestWheels.sha256Hex(b.metadata), f2.metadataHashes().get("sha256"));
        // PEP 691 content negotiation: JSON preferred, HTML accepted.
        assertEquals(SimplePageParser.ACCEPT, server.requests().get(0).accept());
        assertNull(t.client.project(index, "absent"));
    }

    @Test
    void project_revalidatesCachedPagesWithTheirEtag() throws Exception {
        server.add(TestWheels.pure("demo", "1.0"));
        t.client.project(index, "demo");
        t.client.project(index, "demo");
        List<TestIndexServer.Request> pages = server.requests().stream()
                .filter(r -> r.path().equals("/simple/demo/")).toList();
        assertEquals(2, pages.size());
        assertNull(pages.get(0).ifNoneMatch());
        assertTrue(pages.get(1).ifNoneMatch() != null, "second request is conditional");
    }

    @Test
    void metadata_readsOnlyThePep658FileAndNeverTheWheel() throws Exception {
        server.add(TestWheels.pure("demo", "1.0", "six>=1.16", "tomli; python_version < \"3.11\""));
        DistributionFile f = t.client.project(index, "demo").files().get(0);
        CoreMetadataFile md = t.metadata(List.of(index)).metadata(f);
        assertEquals("[six>=1.16, tomli; python_version < \"3.11\"]", md.requiresDist().toString());
        assertEquals(1, server.count("/files/demo-1.0-py3-none-any.whl.metadata"));
        assertEquals(0, server.count("/files/demo-1.0-py3-none-any.whl"));
    }

    @Test
    void metadata_withoutAMetadataFileReadsTheWheelsCentralDirectoryWithRanges() throws Exception {
        TestIndexServer.File f = server.add(TestWheels.pure("demo", "1.0", "six"));
        f.metadataFile = false;
        MetadataFetcher m = t.metadata(List.of(index));
        CoreMetadataFile md = m.metadata(t.client.project(index, "demo").files().get(0));
        assertEquals("[six]", md.requiresDist().toString());
        assertEquals(1, m.rangeReads());
        assertTrue(server.requests().stream().filter(r -> r.path().startsWith("/files/"))
                .allMatch(r -> r.range() != null), "only range requests: " + server.requests());
        assertEquals(List.of("-65536"), ranges(), "a small wheel's METADATA is in its tail");
    }

    private List<String> ranges() {
        return server.requests().stream().filter(r -> r.path().startsWith("/files/")).map(r -> r.range()
                .substring("bytes=".length())).toList();
    }

    private static final String DEMO_METADATA = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nRequires-Dist: six\n";

    /** A wheel of these entries, in this order, with METADATA where {@code null} stands; its local extra as given. */
    private static byte[] wheel(List<String> before, byte[] filler, int metadataLocalExtra) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var zip = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(bytes)) {
            for (String name : before) {
                zip.putArchiveEntry(new org.apache.commons.compress.archivers.zip.ZipArchiveEntry(name));
                zip.write(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
            var md = new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("demo-1.0.dist-info/METADATA");
            if (metadataLocalExtra > 0) {
                var extra = new org.apache.commons.compress.archivers.zip.UnrecognizedExtraField();
                extra.setHeaderId(new org.apache.commons.compress.archivers.zip.ZipShort(0x7a7a));
                extra.setLocalFileDataData(new byte[metadataLocalExtra]);
                extra.setCentralDirectoryData(new byte[0]);
                md.addExtraField(extra);
            }
            zip.putArchiveEntry(md);
            zip.write(DEMO_METADATA.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
            if (filler != null) {
                zip.putArchiveEntry(new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("demo/filler.bin"));
                zip.write(filler);
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private CoreMetadataFile readByRanges(byte[] wheel) throws Exception {
        TestIndexServer.File f = server.addFile("demo", "demo-1.0-py3-none-any.whl", wheel);
        f.metadataFile = false;
        MetadataFetcher m = t.metadata(List.of(index));
        CoreMetadataFile md = m.metadata(t.client.project(index, "demo").files().get(0));
        assertEquals(1, m.rangeReads());
        assertEquals(0, m.wholeWheels());
        return md;
    }

    @Test
    void metadata_aCentralDirectoryLargerThanTheTailTakesOneRequestMoreAndTheEntryOne() throws Exception {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            names.add("demo/a/rather/long/path/to/a/module/number_" + i + ".py");
        }
        byte[] wheel = wheel(names, null, 0);
        CoreMetadataFile md = readByRanges(wheel);
        assertEquals("[six]", md.requiresDist().toString());
        List<String> asked = ranges();
        assertEquals(3, asked.size(), "the tail, the rest of the central directory, the local header and data: "
                + asked);
    }

    @Test
    void metadata_aLocalHeaderLongerThanItsCentralRecordIsReadToTheEnd() throws Exception {
        byte[] filler = new byte[200_000];
        new java.util.Random(7).nextBytes(filler); // incompressible: METADATA ends up far before the tail
        byte[] wheel = wheel(List.of("demo/__init__.py"), filler, 3000);
        CoreMetadataFile md = readByRanges(wheel);
        assertEquals("[six]", md.requiresDist().toString());
        List<String> asked = ranges();
        assertEquals(3, asked.size(), "the tail, the entry as the central directory describes it, the rest: " + asked);
    }

    @Test
    void metadata_aCentralDirectoryClaimingMoreThanTheWheelHoldsIsRefusedBeforeAnyAllocation() throws Exception {
        byte[] wheel = wheel(List.of("demo/__init__.py"), null, 0);
        int eocd = wheel.length - 22; // no comment: the end record closes the file
        java.nio.ByteBuffer.wrap(wheel, eocd + 12, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0x7ffffff0);
        TestIndexServer.File f = server.addFile("demo", "demo-1.0-py3-none-any.whl", wheel);
        f.metadataFile = false;
        MetadataFetcher m = t.metadata(List.of(index));
        DistributionFile file = t.client.project(index, "demo").files().get(0);
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> m.metadata(file));
        assertTrue(e.getMessage().contains("central directory (2147483632 bytes"), e.getMessage());
        assertEquals(1, ranges().size(), "nothing asked for after the tail: " + ranges());
    }

    @Test
    void metadata_anEntryInTheMiddleOfALargeWheelTakesTwoRequests() throws Exception {
        byte[] filler = new byte[200_000];
        new java.util.Random(8).nextBytes(filler);
        CoreMetadataFile md = readByRanges(wheel(List.of("demo/__init__.py"), filler, 0));
        assertEquals("[six]", md.requiresDist().toString());
        assertEquals(2, ranges().size(), "the tail, then the local header and data together: " + ranges());
    }

    @Test
    void metadata_fallsBackToTheWholeWheelWhenRangesAreIgnored() throws Exception {
        TestIndexServer.File f = server.add(TestWheels.pure("demo", "1.0", "six"));
        f.metadataFile = false;
        server.fault("/files/demo-1.0-py3-none-any.whl", Fault.IGNORE_RANGE);
        MetadataFetcher m = t.metadata(List.of(index));
        assertEquals("[six]", m.metadata(t.client.project(index, "demo").files().get(0)).requiresDist().toString());
        assertEquals(1, m.wholeWheels());
    }

    @Test
    void metadata_refusesAMetadataFileWithTheWrongDigest() throws Exception {
        TestIndexServer.File f = server.add(TestWheels.pure("demo", "1.0"));
        DistributionFile listed = t.client.project(index, "demo").files().get(0);
        f.metadata = "Metadata-Version: 2.1\nName: demo\nVersion: 6.6.6\n".getBytes();
        assertThrows(HashMismatchException.class, () -> t.metadata(List.of(index)).metadata(listed));
    }

    @Test
    void firstIndexThatHasTheProjectSuppliesAllVersionsAndPinsOverride() throws Exception {
        try (TestIndexServer other = new TestIndexServer()) {
            server.add(TestWheels.pure("internal-lib", "1.0"));
            other.add(TestWheels.pure("internal-lib", "99.0")); // a public look-alike with a higher version
            other.add(TestWheels.pure("requests", "2.31.0"));
            PackageSource second = PackageSource.of("public", other.indexUrl(), PackageSource.Kind.INDEX, "indexes");
            PackageFinder finder = t.finder(List.of(index, second));
            ProjectPage lib = finder.find("Internal_Lib");
            assertEquals("test", lib.sourceId());
            assertEquals(List.of("internal_lib-1.0-py3-none-any.whl"),
                    lib.files().stream().map(DistributionFile::filename).toList());
            assertEquals("public", finder.find("requests").sourceId());
            PackageFinder pinned = new PackageFinder(List.of(index, second), List.of(),
                    Map.of("internal-lib", "public"), t.client);
            assertEquals("public", pinned.find("internal-lib").sourceId());
            assertEquals(1, server.count("/simple/internal-lib/"), "the pinned lookup skipped the first index");
        }
    }

    @Test
    void findLinks_localDirectoriesAddTheirFiles() throws Exception {
        Path wheels = Files.createDirectories(dir.resolve("wheels"));
        Files.write(wheels.resolve("extra_pkg-0.1-py3-none-any.whl"), TestWheels.build(TestWheels.pure("extra-pkg",
                "0.1")));
        Files.writeString(wheels.resolve("README.txt"), "not a distribution");
        PackageSource fl = PackageSource.of("find-links", wheels.toString(), PackageSource.Kind.FIND_LINKS,
                "findLinks");
        PackageFinder finder = new PackageFinder(List.of(index), List.of(fl), Map.of(), t.client);
        ProjectPage page = finder.find("extra-pkg");
        assertEquals("file", page.files().get(0).url().getScheme());
        Path local = t.downloader(List.of(index, fl)).fetch(new Downloader.Request(page.files().get(0), null));
        assertEquals(wheels.resolve("extra_pkg-0.1-py3-none-any.whl"), local);
    }

    @Test
    void pipConfiguration_layersFilesSectionsAndEnvironment() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".config/pip"));
        Files.writeString(home.resolve(".config/pip/pip.conf"), "[global]\nindex-url = https://user.example/simple\n"
                + "find-links =\n    /opt/a\n    /opt/b\ntimeout = 42\n[install]\nextra-index-url: https://x.example/s\n");
        PipConfiguration c = PipConfiguration.load(Map.of("XDG_CONFIG_DIRS", dir.resolve("none").toString(),
                "PIP_EXTRA_INDEX_URL", "https://e1.example/simple https://e2.example/simple"), home.toString());
        assertEquals("https://user.example/simple", c.indexUrl());
        assertEquals(List.of("/opt/a", "/opt/b"), c.findLinks());
        assertEquals(List.of("https://e1.example/simple", "https://e2.example/simple"), c.extraIndexUrls());
        assertEquals(42, c.timeoutSeconds());
    }

    @Test
    void pipConfiguration_devNullAsConfigFileLoadsNoFileButKeepsTheEnvironment() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".config/pip"));
        Files.writeString(home.resolve(".config/pip/pip.conf"), "[global]\nindex-url = https://user.example/simple\n");
        Path xdg = Files.createDirectories(dir.resolve("xdg/pip"));
        Files.writeString(xdg.resolve("pip.conf"), "[global]\ncert = /etc/site-ca.pem\n");
        // pip: "if PIP_CONFIG_FILE is set to os.devnull, no configuration files are loaded"
        PipConfiguration c = PipConfiguration.load(Map.of("XDG_CONFIG_DIRS", dir.resolve("xdg").toString(),
                "PIP_CONFIG_FILE", "/dev/null", "PIP_FIND_LINKS", "/opt/w"), home.toString());
        assertNull(c.indexUrl());
        assertNull(c.cert());
        assertEquals(List.of(), c.files());
        assertEquals(List.of("/opt/w"), c.findLinks());
        PipConfiguration loaded = PipConfiguration.load(Map.of("XDG_CONFIG_DIRS", dir.resolve("xdg").toString()),
                home.toString());
        assertEquals("https://user.example/simple", loaded.indexUrl(), "the same files are read without it");
        assertTrue(loaded.files().contains(xdg.resolve("pip.conf")), loaded.files().toString());
    }

    @Test
    void fileIndex_readsAPep503TreeOnDisk() throws Exception {
        Path root = Files.createDirectories(dir.resolve("mirror/simple/demo"));
        byte[] wheel = TestWheels.build(TestWheels.pure("demo", "1.0"));
        Files.createDirectories(dir.resolve("mirror/files"));
        Files.write(dir.resolve("mirror/files/demo-1.0-py3-none-any.whl"), wheel);
        Files.writeString(root.resolve("index.html"), "<html><body><a href=\"../../files/demo-1.0-py3-none-any.whl#sha256="
                + TestWheels.sha256Hex(wheel) + "\">demo-1.0-py3-none-any.whl</a></body></html>");
        PackageSource fileIndex = PackageSource.of("mirror", dir.resolve("mirror/simple").toUri().toString(),
                PackageSource.Kind.INDEX, "indexUrl");
        ProjectPage page = t.client.project(fileIndex, "demo");
        DistributionFile f = page.files().get(0);
        assertEquals("file", f.url().getScheme());
        assertEquals(dir.resolve("mirror/files/demo-1.0-py3-none-any.whl"),
                t.downloader(List.of(fileIndex)).fetch(new Downloader.Request(f, null)));
        assertNull(t.client.project(fileIndex, "absent"));
    }

    @Test
    void findLinks_flatHtmlPagesListFilesOfManyProjects() throws Exception {
        server.add(TestWheels.pure("demo", "1.0"));
        Path page = dir.resolve("links.html");
        Files.writeString(page, "<a href=\"" + server.fileUrl("demo-1.0-py3-none-any.whl") + "\">demo-1.0-py3-none-any.whl</a>"
                + "<a href=\"" + server.fileUrl("other-2.0.tar.gz") + "\">other-2.0.tar.gz</a>");
        PackageSource fl = PackageSource.of("links", page.toString(), PackageSource.Kind.FIND_LINKS, "findLinks");
        ProjectPage demo = new PackageFinder(List.of(), List.of(fl), Map.of(), t.client).find("demo");
        assertEquals(List.of("demo-1.0-py3-none-any.whl"), demo.files().stream().map(DistributionFile::filename)
                .toList());
    }
}

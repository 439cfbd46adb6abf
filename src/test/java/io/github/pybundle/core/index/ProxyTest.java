package io.github.pybundle.core.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.net.ProxySpec;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyTest {
    @TempDir
    Path dir;

    @Test
    void requests_goThroughTheSettingsProxyForHostsItCovers() throws Exception {
        try (TestIndexServer proxy = new TestIndexServer()) { // answers proxied requests as if it were the index
            TestIndexServer.File f = proxy.add(TestWheels.pure("demo", "1.0"));
            ProxySpec spec = new ProxySpec("http", "127.0.0.1", proxy.port(), null, "*.internal|localhost");
            IndexTestSupport t = new IndexTestSupport(dir, NetworkSettings.defaults().withProxies(List.of(spec))
                    .withAllowInsecure(true));
            // No such host exists: only a request sent to the proxy can succeed.
            PackageSource index = PackageSource.of("corp", "http://pypi.corp.invalid/simple/",
                    PackageSource.Kind.INDEX, "indexes");
            DistributionFile file = t.client.project(index, "demo").files().get(0);
            assertEquals("http://pypi.corp.invalid/files/demo-1.0-py3-none-any.whl", file.url().toString());
            Path p = t.downloader(List.of(index)).fetch(new Downloader.Request(file, null));
            assertArrayEquals(f.content, Files.readAllBytes(p));
            assertEquals(2, proxy.requests().size());
        }
    }

    @Test
    void nonProxyHosts_areReachedDirectly() {
        ProxySpec spec = new ProxySpec("https", "proxy.corp", 3128, null, "*.internal|nexus.corp|10.*");
        assertTrue(spec.bypasses("pypi.internal"));
        assertTrue(spec.bypasses("NEXUS.corp"));
        assertTrue(spec.bypasses("10.1.2.3"));
        assertFalse(spec.bypasses("pypi.org"));
        assertEquals(spec, ProxySpec.select(List.of(new ProxySpec("http", "p", 1, null, null), spec), "https",
                "pypi.org"));
        assertEquals(null, ProxySpec.select(List.of(spec), "https", "nexus.corp"));
    }
}

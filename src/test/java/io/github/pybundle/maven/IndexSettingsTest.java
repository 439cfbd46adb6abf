package io.github.pybundle.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.net.Credentials;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class IndexSettingsTest {
    /** Collects warnings. */
    private static final class Warnings extends SystemStreamLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void warn(CharSequence content) {
            lines.add(content.toString());
        }
    }

    @Test
    void aPasswordInTheIndexUrlWarnsAndPointsToSettingsXml() throws Exception {
        LockMojo m = new LockMojo();
        Warnings log = new Warnings();
        m.setLog(log);
        m.indexUrl = "https://alice:hunter22@nexus.example/repository/pypi/simple/";
        m.downloadThreads = 4;
        m.downloadDeadline = 60;
        Set<String> secrets = new HashSet<>();
        IndexConfiguration c = IndexSettings.build(m, List.of(), secrets);
        assertEquals(1, log.lines.size(), log.lines.toString());
        assertTrue(log.lines.get(0).contains("carries a password") && log.lines.get(0).contains("settings.xml <server>"),
                log.lines.get(0));
        assertFalse(log.lines.get(0).contains("hunter22"), "the warning itself shows no secret");
        assertTrue(secrets.contains("hunter22"), "the password is masked everywhere else");
        assertEquals(60, c.network().deadline().toSeconds());
    }

    @Test
    void credentialsForBindsFurtherOriginsOfAnIndex() throws Exception {
        LockMojo m = new LockMojo();
        m.setLog(new Warnings());
        m.indexes = List.of(new IndexSpec("corp", "https://nexus.example/simple/"));
        m.indexes.get(0).credentialsFor = List.of("https://files.example");
        m.downloadThreads = 4;
        m.downloadDeadline = 60;
        PackageSource s = IndexSettings.build(m, List.of(), new HashSet<>()).indexes().get(0)
                .withCredentials(new Credentials("u", "p"));
        assertTrue(s.credentialsFor(URI.create("https://files.example/x.whl")) != null);
        assertTrue(s.credentialsFor(URI.create("https://other.example/x.whl")) == null);
    }
}

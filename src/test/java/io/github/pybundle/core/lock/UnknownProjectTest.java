package io.github.pybundle.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.target.Target;
import io.github.pybundle.maven.PomWords;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misspelt names: every one at once, with a hint about spelling rather than "relax the requirements". */
class UnknownProjectTest {
    @TempDir
    Path dir;

    private PyBundleException lockFails(List<String> requirements) throws Exception {
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(TestWheels.pure("requests", "2.31.0"));
            IndexConfiguration config = new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                    PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                    dir.resolve("cache"), 2);
            DeclaredRequirements d = DeclaredRequirements.collect(new DeclaredRequirements.Request(requirements,
                    List.of(), List.of(), null, false, List.of(), List.of(), Map.of()));
            return assertThrows(PyBundleException.class, () -> new Locker(BuildListener.silent()).lock(d,
                    Target.of(new Target.Spec("3.11", null, null, null, null, null)), Map.of(), false, config,
                    dir.resolve("pylock.toml"), null));
        }
    }

    @Test
    void twoMisspeltNamesAreBothReported() throws Exception {
        PyBundleException e = lockFails(List.of("scikit-lern", "requests", "pandsa>=2"));
        String message = PomWords.render(e.getMessage());
        assertEquals("no project named 'scikit-lern' (<requirements> entry 1) or 'pandsa' (<requirements> entry 3) on"
                + " http://127.0.0.1:", message.substring(0, message.lastIndexOf(':') + 1));
        assertEquals("check the spelling of the name (case and the characters '-', '_' and '.' do not matter, PEP 503),"
                + " and that <indexUrl>, <indexes> or <findLinks> name the index that has it",
                PomWords.render(e.hints().get(0)));
    }

    @Test
    void oneMisspeltNameGetsTheSpellingHintToo() throws Exception {
        PyBundleException e = lockFails(List.of("reqeusts"));
        assertEquals(List.of("check the spelling of the name (case and the characters '-', '_' and '.' do not matter,"
                + " PEP 503), and that {@indexUrl}, {@indexes} or {@findLinks} name the index that has it"), e.hints());
    }

    @Test
    void aLocalFindLinksDirectorySuggestsTheClosestNames() throws Exception {
        Path links = java.nio.file.Files.createDirectories(dir.resolve("wheels"));
        java.nio.file.Files.write(links.resolve("scikit_learn-1.5.0-py3-none-any.whl"), TestWheels.build(
                TestWheels.pure("scikit-learn", "1.5.0")));
        java.nio.file.Files.write(links.resolve("requests-2.31.0-py3-none-any.whl"), TestWheels.build(
                TestWheels.pure("requests", "2.31.0")));
        IndexConfiguration config = new IndexConfiguration(List.of(), List.of(PackageSource.of("links",
                links.toString(), PackageSource.Kind.FIND_LINKS, "findLinks")), Map.of(), NetworkSettings.defaults(),
                dir.resolve("cache"), 2);
        DeclaredRequirements d = DeclaredRequirements.collect(new DeclaredRequirements.Request(List.of("scikit-lern",
                "reqeusts"), List.of(), List.of(), null, false, List.of(), List.of(), Map.of()));
        PyBundleException e = assertThrows(PyBundleException.class, () -> new Locker(BuildListener.silent()).lock(d,
                Target.of(new Target.Spec("3.11", null, null, null, null, null)), Map.of(), false, config,
                dir.resolve("pylock.toml"), null));
        assertEquals(List.of("did you mean scikit-learn instead of scikit-lern?", "did you mean requests instead of"
                + " reqeusts?"), e.hints().subList(0, 2));
    }
}

package io.github.pybundle.core.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.bundle.EnvironmentArchiveBuilder;
import io.github.pybundle.core.event.PhaseTimer;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.net.NetworkSettings;
import io.github.pybundle.core.project.ProjectPackager;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.sbom.Component;
import io.github.pybundle.testing.SourceTrees;
import io.github.pybundle.testing.TestIndexServer;
import io.github.pybundle.testing.TestWheels;
import io.github.pybundle.testing.ZipContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code <target><environmentFile>}: what the probed node has installed is provided, the log says which, the summary
 * shows them all, and {@code <ignoreProvidedFromProbe>} bundles named ones instead.
 */
class ProvidedFromProbeTest {
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    private Path probe(Map<String, String> installed) throws Exception {
        String distributions = installed.entrySet().stream().map(e -> "\"" + e.getKey() + "\": \"" + e.getValue()
                + "\"").collect(Collectors.joining(", "));
        return Files.writeString(dir.resolve("cluster.json"), "{\"probe\": 1, \"implementation\": \"cp\","
                + " \"python_version\": \"3.11\", \"python_full_version\": \"3.11.7\", \"abis\": [\"cp311\"],"
                + " \"platforms\": [\"manylinux2014_x86_64\"], \"markers\": {}, \"distributions\": {" + distributions
                + "}}");
    }

    private static TargetRequest target(Path probe, List<String> ignore) {
        return new TargetRequest(null, probe, List.of(), true, null, null, null, ignore, List.of());
    }

    @Test
    void providedPackages_takeTheProbesButTheIgnoredOnesAndKeepTheVersionsItFound() throws Exception {
        Path probe = probe(Map.of("numpy", "1.24.4", "pyspark", "3.5.3", "six", "1.16.0"));
        assertEquals(Map.of("numpy", "1.24.4", "py4j", "", "pyspark", "3.5.3", "six", "1.16.0"),
                target(probe, List.of()).providedPackages(), "pyspark keeps the probe's version, py4j is any");
        assertEquals(Map.of("py4j", "", "pyspark", "3.5.3", "six", "1.16.0"),
                target(probe, List.of("NumPy")).providedPackages());
        assertEquals(Map.of("numpy", "1.26.0", "py4j", "", "pyspark", "3.5.3", "six", "1.16.0"),
                new TargetRequest(null, probe, List.of("numpy==1.26.0"), true, null, null, null, List.of(), List.of())
                        .providedPackages(), "a declared version wins");
    }

    @Test
    void report_listsTheProvidedSaysWhichAreBundledAndWarnsOfNamesTheProbeLacks() throws Exception {
        Path probe = probe(Map.of("numpy", "1.24.4", "pyspark", "3.5.3", "six", "1.16.0"));
        target(probe, List.of("numpy", "scikit-lern")).reportProvidedFromProbe((level, m) -> log.add(level + " "
                + m));
        assertEquals(List.of(
                "INFO Provided by the cluster, as {@target.environmentFile} cluster.json lists them installed (never"
                        + " bundled; {@target.ignoreProvidedFromProbe} bundles named ones): 2 packages: pyspark 3.5.3,"
                        + " six 1.16.0",
                "INFO Bundled although {@target.environmentFile} cluster.json lists them installed"
                        + " ({@target.ignoreProvidedFromProbe}): numpy 1.24.4",
                "WARN {@target.ignoreProvidedFromProbe} names scikit-lern, which {@target.environmentFile}"
                        + " cluster.json does not list: nothing to ignore (a misspelt name?)"), log);
    }

    @Test
    void report_countsManyAtInfoAndListsThemAtDebug() throws Exception {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            many.put("pkg" + i, "1." + i);
        }
        target(probe(many), List.of()).reportProvidedFromProbe((level, m) -> log.add(level + " " + m));
        assertEquals(2, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("INFO Provided by the cluster, as {@target.environmentFile} cluster.json"
                + " lists them installed") && log.get(0).endsWith(": 30 packages (listed at debug level)"), log.get(0));
        assertTrue(log.get(1).startsWith("DEBUG Provided by the cluster, from {@target.environmentFile}"
                + " cluster.json: pkg0 1.0, pkg1 1.1, pkg10 1.10"), log.get(1));
    }

    @Test
    void aProfilesPackages_areProvidedButTheIgnoredOnes_andReportedLikeAProbes() throws Exception {
        TargetRequest databricks = new TargetRequest(null, null, List.of(), true, null, null, "databricks-15.4",
                List.of("pandas", "polars"), List.of());
        Map<String, String> provided = databricks.providedPackages();
        assertEquals("1.23.5", provided.get("numpy"), "the profile's version");
        assertEquals("14.0.1", provided.get("pyarrow"));
        assertFalse(provided.containsKey("pandas"), "bundled instead: " + provided.keySet());
        databricks.reportProvidedFromProbe((level, m) -> log.add(level + " " + m));
        assertEquals(List.of(
                "INFO Provided by the cluster, as the cluster profile databricks-15.4 lists them installed (never"
                        + " bundled; {@target.ignoreProvidedFromProbe} bundles named ones): 128 packages (listed at"
                        + " debug level)",
                "INFO Bundled although the cluster profile databricks-15.4 lists them installed"
                        + " ({@target.ignoreProvidedFromProbe}): pandas 1.5.3",
                "WARN {@target.ignoreProvidedFromProbe} names polars, which the cluster profile databricks-15.4 does"
                        + " not list: nothing to ignore (a misspelt name?)"),
                log.stream().filter(l -> !l.startsWith("DEBUG")).toList());
    }

    @Test
    void anIgnoredNameMustBeAPackageName() throws Exception {
        Path probe = probe(Map.of("six", "1.16.0"));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> target(probe, List.of("six==1.16.0")).providedPackages());
        assertEquals("{@target.ignoreProvidedFromProbe} entry 'six==1.16.0' is not a package name", e.getMessage());
    }

    private BundleService.Outcome bundle(TestIndexServer server, TargetRequest target) throws Exception {
        DependencyRequest deps = new DependencyRequest(new DeclaredRequirements.Request(List.of("dep"), List.of(),
                List.of(), dir.resolve("project/pyproject.toml"), false, List.of(), List.of(), Map.of()), target,
                false, false, dir.resolve("project/pylock.toml"), Map.of());
        IndexSource sources = files -> new IndexConfiguration(List.of(PackageSource.of("test", server.indexUrl(),
                PackageSource.Kind.INDEX, "indexUrl")), List.of(), Map.of(), NetworkSettings.defaults(),
                dir.resolve("cache"), 2);
        Path src = SourceTrees.sample(dir.resolve("project"));
        return new BundleService((level, m) -> log.add(level + " " + m), new PhaseTimer()).bundle(
                new BundleService.Request(deps, src, src.resolve("main.py"), "app", dir.resolve("project/target"),
                        "app-1.0", Instant.parse("2024-01-01T00:00:00Z"), ProjectPackager.Layout.AUTO,
                        EnvironmentArchiveBuilder.Format.TAR_GZ, List.of(), ProjectPackager.SparkSpec.defaults(),
                        List.of(), List.of(), true, 1L << 30, 1L << 32, Component.of(Component.Type.APPLICATION,
                        "g", "a", "1", "pkg:maven/g/a@1")), sources);
    }

    @Test
    void bundle_whenTheClusterHasEveryDependencyTheSummaryStillShowsThemAndIgnoringOneBundlesIt() throws Exception {
        Path probe = probe(Map.of("dep", "1.0", "six", "1.16.0"));
        try (TestIndexServer server = new TestIndexServer()) {
            server.add(TestWheels.pure("dep", "1.0"));
            BundleService.Outcome o = bundle(server, target(probe, List.of()));
            assertFalse(ZipContents.names(o.pyFilesZip()).contains("dep/__init__.py"));
            // Nothing was placed, yet the table is there: the provided packages are what the bundle relies on.
            assertTrue(log.stream().anyMatch(l -> l.matches("INFO dep +1\\.0 +- +- +provided by the cluster")),
                    String.join("\n", log));
            assertTrue(log.stream().anyMatch(l -> l.matches("INFO six +1\\.16\\.0 +- +- +provided by the cluster")),
                    String.join("\n", log));

            log.clear();
            o = bundle(server, target(probe, List.of("dep")));
            assertTrue(ZipContents.names(o.pyFilesZip()).contains("dep/__init__.py"), "bundled");
            assertTrue(log.contains("INFO Bundled although {@target.environmentFile} cluster.json lists them installed"
                    + " ({@target.ignoreProvidedFromProbe}): dep 1.0"), String.join("\n", log));
            assertTrue(log.stream().anyMatch(l -> l.matches("INFO dep +1\\.0 +\\d+ B +pure +py-files zip +dep-1\\.0"
                    + "-py3-none-any\\.whl")), String.join("\n", log));
        }
    }
}

package io.github.pybundle.core.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchDescriptorsTest {
    private static SparkLaunch remote(String master) {
        return new SparkLaunch("My App", master, "cluster", "hdfs:///apps/a/main.py",
                List.of("hdfs:///apps/a/a-pyfiles.zip"), "hdfs:///apps/a/a-pyenv.tar.gz", "00", List.of(),
                Map.of("spark.executor.memory", "4g", "spark.executor.instances", "3", "spark.sql.shuffle.partitions",
                        "8"), List.of("--day", "2024-01-01"), true);
    }

    @Test
    void livyBatch_usesOnlyLivysFieldsAndPutsResourcesInTheirOwnFields() throws Exception {
        JsonNode j = new ObjectMapper().readTree(LaunchDescriptors.livyBatch(remote("yarn")));
        List<String> fields = new ArrayList<>();
        j.fieldNames().forEachRemaining(fields::add);
        assertTrue(LaunchDescriptors.LIVY_FIELDS.containsAll(fields), fields.toString());
        assertEquals("hdfs:///apps/a/main.py", j.get("file").asText());
        assertEquals("4g", j.get("executorMemory").asText());
        assertEquals(3, j.get("numExecutors").asInt());
        assertEquals("hdfs:///apps/a/a-pyenv.tar.gz#environment", j.get("archives").get(0).asText());
        assertEquals("./environment/bin/python", j.get("conf").get("spark.pyspark.python").asText());
        assertEquals("8", j.get("conf").get("spark.sql.shuffle.partitions").asText());
    }

    @Test
    void livyBatch_putsTheArchiveInSparkArchivesOffYarn() throws Exception {
        JsonNode j = new ObjectMapper().readTree(LaunchDescriptors.livyBatch(remote("k8s://https://api:6443")));
        assertTrue(j.get("archives") == null);
        assertEquals("hdfs:///apps/a/a-pyenv.tar.gz#environment", j.get("conf").get("spark.archives").asText());
    }

    @Test
    void launchJson_andSparkApplication_describeTheSameLaunch() throws Exception {
        JsonNode j = new ObjectMapper().readTree(LaunchDescriptors.launchJson(remote("yarn")));
        assertEquals("cluster", j.get("deployMode").asText());
        assertEquals("[\"--day\",\"2024-01-01\"]", j.get("args").toString());
        String yaml = LaunchDescriptors.sparkApplication(remote("k8s://x"), "registry/spark-py:3.5.3", "3.5.3");
        assertTrue(yaml.contains("kind: SparkApplication\n"));
        assertTrue(yaml.contains("  name: \"my-app\"\n"));
        assertTrue(yaml.contains("  type: Python\n"));
        assertTrue(yaml.contains("  mainApplicationFile: \"hdfs:///apps/a/main.py\"\n"));
        assertTrue(yaml.contains("    archives:\n      - \"hdfs:///apps/a/a-pyenv.tar.gz#environment\"\n"));
        assertTrue(yaml.contains("    \"spark.pyspark.python\": \"./environment/bin/python\"\n"));
    }

    @Test
    void jars_areInEveryDescriptor() throws Exception {
        SparkLaunch l = new SparkLaunch("My App", "yarn", "cluster", "hdfs:///apps/a/main.py",
                List.of("hdfs:///apps/a/a-pyfiles.zip"), null, null, List.of(), Map.of(), List.of(), true,
                List.of("hdfs:///apps/a/jars/app-1.0.jar", "hdfs:///apps/a/jars/dep-2.0.jar"));
        ObjectMapper m = new ObjectMapper();
        assertEquals("[\"hdfs:///apps/a/jars/app-1.0.jar\",\"hdfs:///apps/a/jars/dep-2.0.jar\"]",
                m.readTree(LaunchDescriptors.launchJson(l)).get("jars").toString());
        assertEquals("[\"hdfs:///apps/a/jars/app-1.0.jar\",\"hdfs:///apps/a/jars/dep-2.0.jar\"]",
                m.readTree(LaunchDescriptors.livyBatch(l)).get("jars").toString());
        assertTrue(LaunchDescriptors.sparkApplication(l, "img", "3.5.3").contains("    jars:\n      -"
                + " \"hdfs:///apps/a/jars/app-1.0.jar\"\n      - \"hdfs:///apps/a/jars/dep-2.0.jar\"\n"));
        assertEquals(List.of("hdfs dfs -mkdir -p hdfs:///apps/a hdfs:///apps/a/jars",
                "hdfs dfs -put -f /t/app-1.0.jar hdfs:///apps/a/jars/app-1.0.jar"), LaunchDescriptors.uploadCommands(
                "hdfs:///apps/a", List.<String[]>of(new String[] {"/t/app-1.0.jar", "hdfs:///apps/a/jars/app-1.0.jar"})));
    }

    @Test
    void uploadCommands_createTheDirectoryAndPutEachFile() {
        assertEquals(List.of("hdfs dfs -mkdir -p hdfs:///apps/a", "hdfs dfs -put -f /t/a.zip hdfs:///apps/a/a.zip"),
                LaunchDescriptors.uploadCommands("hdfs:///apps/a", List.<String[]>of(new String[] {"/t/a.zip",
                        "hdfs:///apps/a/a.zip"})));
    }
}

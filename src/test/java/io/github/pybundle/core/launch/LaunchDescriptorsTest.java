package io.github.pybundle.core.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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

    // ---- Managed platforms ------------------------------------------------------------------------------------------
    // The request schemas, written out here from the vendors' machine-readable API definitions (not from the code under
    // test): a structure is a Map of its members; "string", "string[]" and "map" (string to string) are leaves; a
    // one-element List is a list of that structure. Only members a client may send are listed.

    // botocore/data/emr-serverless/2021-07-13/service-2.json (boto/botocore): StartJobRunRequest and the shapes below
    // it. applicationId is a URI parameter and clientToken an idempotency token the CLI fills; both are listed, as the
    // CLI's --cli-input-json accepts every member of the input shape.
    private static final Map<String, Object> EMR_CONFIGURATION = Map.of("classification", "string",
            "properties", "map", "configurations", List.of(Map.of()));
    private static final Map<String, Object> EMR_START_JOB_RUN = Map.of(
            "applicationId", "string", "clientToken", "string", "executionRoleArn", "string",
            "jobDriver", Map.of(
                    "sparkSubmit", Map.of("entryPoint", "string", "entryPointArguments", "string[]",
                            "sparkSubmitParameters", "string"),
                    "hive", Map.of("query", "string", "initQueryFile", "string", "parameters", "string")),
            "configurationOverrides", Map.of("applicationConfiguration", List.of(EMR_CONFIGURATION),
                    "monitoringConfiguration", Map.of()),
            "tags", "map", "executionTimeoutMinutes", "number", "name", "string", "mode", "string",
            "retryPolicy", Map.of());
    // The string constraints of the same model: EntryPointPath (1-256), EntryPointArgument (1-10280),
    // SparkSubmitParameters (1-102400), String256 (name), ConfigurationPropertyKey/Value (1-1024, 0-1024); every one
    // with the pattern .*\S.*.
    private static final Pattern NOT_BLANK = Pattern.compile(".*\\S.*", Pattern.DOTALL);

    // google/cloud/dataproc/v1/batches.proto and shared.proto (googleapis/googleapis), as proto3 JSON names: the Batch
    // members that are not OUTPUT_ONLY, PySparkBatch, RuntimeConfig.
    private static final Map<String, Object> DATAPROC_BATCH = Map.of(
            "pysparkBatch", Map.of("mainPythonFileUri", "string", "args", "string[]", "pythonFileUris", "string[]",
                    "jarFileUris", "string[]", "fileUris", "string[]", "archiveUris", "string[]"),
            "sparkBatch", Map.of(), "sparkRBatch", Map.of(), "sparkSqlBatch", Map.of(), "labels", "map",
            "runtimeConfig", Map.of("version", "string", "containerImage", "string", "properties", "map"),
            "environmentConfig", Map.of());

    // Every member is one the schema names, with the schema's JSON type, at every level; a typo fails here.
    @SuppressWarnings("unchecked")
    private static void assertFits(Object schema, JsonNode node, String path) {
        if (schema instanceof Map<?, ?> members) {
            assertTrue(node.isObject(), path + " is not an object: " + node);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!members.containsKey(e.getKey())) {
                    fail(path + "." + e.getKey() + " is not in the schema (" + members.keySet() + ")");
                }
                assertFits(members.get(e.getKey()), e.getValue(), path + "." + e.getKey());
            }
        } else if (schema instanceof List<?> element) {
            assertTrue(node.isArray(), path + " is not an array");
            for (int i = 0; i < node.size(); i++) {
                assertFits(element.get(0), node.get(i), path + "[" + i + "]");
            }
        } else if (schema.equals("string")) {
            assertTrue(node.isTextual(), path + " is not a string");
        } else if (schema.equals("number")) {
            assertTrue(node.isNumber(), path + " is not a number");
        } else if (schema.equals("string[]")) {
            assertTrue(node.isArray(), path + " is not an array");
            node.forEach(v -> assertTrue(v.isTextual(), path + " holds a non-string"));
        } else if (schema.equals("map")) {
            assertTrue(node.isObject(), path + " is not an object");
            node.forEach(v -> assertTrue(v.isTextual(), path + " holds a non-string value"));
        } else {
            fail("bad schema " + schema);
        }
    }

    // A launch from remoteDir s3://b/app/1.0 (or gs://... for Dataproc) with a file and two JARs.
    private static SparkLaunch managed(Map<String, String> conf, String environment, List<String> args) {
        String base = environment != null && environment.startsWith("gs:") ? "gs://b/app/1.0" : "s3://b/app/1.0";
        return new SparkLaunch("My App", "yarn", "cluster", base + "/main.py", List.of(base + "/a-pyfiles.zip"),
                environment, environment == null ? null : "00", List.of(base + "/app.yaml"), conf, args, true,
                List.of(base + "/jars/app-1.0.jar", base + "/jars/dep-2.0.jar"));
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    // Splits sparkSubmitParameters the simplest way any parser could (on single spaces) into --conf pairs; true only if
    // no token needed quoting.
    private static Map<String, String> confPairs(String params) {
        Map<String, String> m = new LinkedHashMap<>();
        String[] t = params.split(" ");
        assertEquals(0, t.length % 2, params);
        for (int i = 0; i < t.length; i += 2) {
            assertEquals("--conf", t[i]);
            assertTrue(LaunchDescriptors.isPlainWord(t[i + 1]), t[i + 1]);
            int eq = t[i + 1].indexOf('=');
            m.put(t[i + 1].substring(0, eq), t[i + 1].substring(eq + 1));
        }
        return m;
    }

    @Test
    void emrServerlessJob_fitsTheStartJobRunSchemaAndCarriesTheWholeLaunch() throws Exception {
        SparkLaunch l = managed(ordered("spark.executor.memory", "4g", "spark.sql.shuffle.partitions", "8"),
                "s3://b/app/1.0/a-pyenv.tar.gz", List.of("--day", "2024-01-01"));
        JsonNode j = new ObjectMapper().readTree(LaunchDescriptors.emrServerlessJob(l));
        assertFits(EMR_START_JOB_RUN, j, "$");
        assertEquals(List.of("name", "jobDriver"), fieldNames(j)); // nothing to route: no configurationOverrides
        assertEquals("My App", j.get("name").asText());
        JsonNode submit = j.get("jobDriver").get("sparkSubmit");
        assertEquals(List.of("entryPoint", "entryPointArguments", "sparkSubmitParameters"), fieldNames(submit));
        assertEquals("s3://b/app/1.0/main.py", submit.get("entryPoint").asText());
        assertEquals("[\"--day\",\"2024-01-01\"]", submit.get("entryPointArguments").toString());
        assertEquals(ordered(
                "spark.archives", "s3://b/app/1.0/a-pyenv.tar.gz#environment",
                "spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON", "./environment/bin/python",
                "spark.emr-serverless.driverEnv.PYSPARK_PYTHON", "./environment/bin/python",
                "spark.executorEnv.PYSPARK_PYTHON", "./environment/bin/python",
                "spark.submit.pyFiles", "s3://b/app/1.0/a-pyfiles.zip",
                "spark.jars", "s3://b/app/1.0/jars/app-1.0.jar,s3://b/app/1.0/jars/dep-2.0.jar",
                "spark.files", "s3://b/app/1.0/app.yaml",
                "spark.executor.memory", "4g",
                "spark.sql.shuffle.partitions", "8"), confPairs(submit.get("sparkSubmitParameters").asText()));
        // The model's string constraints.
        String entryPoint = submit.get("entryPoint").asText();
        assertTrue(entryPoint.length() <= 256 && NOT_BLANK.matcher(entryPoint).matches());
        submit.get("entryPointArguments").forEach(a -> assertTrue(a.asText().length() <= 10280
                && NOT_BLANK.matcher(a.asText()).matches()));
        assertTrue(submit.get("sparkSubmitParameters").asText().length() <= 102400);
        assertTrue(j.get("name").asText().length() <= 256);
    }

    @Test
    void emrServerlessJob_isStableText() {
        SparkLaunch l = new SparkLaunch("a", "yarn", "cluster", "s3://b/main.py", List.of("s3://b/a.zip"),
                "s3://b/env.tar.gz", "00", List.of(), Map.of(), List.of(), true);
        assertEquals("""
                {
                  "name" : "a",
                  "jobDriver" : {
                    "sparkSubmit" : {
                      "entryPoint" : "s3://b/main.py",
                      "sparkSubmitParameters" : "--conf spark.archives=s3://b/env.tar.gz#environment \
                --conf spark.emr-serverless.driverEnv.PYSPARK_DRIVER_PYTHON=./environment/bin/python \
                --conf spark.emr-serverless.driverEnv.PYSPARK_PYTHON=./environment/bin/python \
                --conf spark.executorEnv.PYSPARK_PYTHON=./environment/bin/python \
                --conf spark.submit.pyFiles=s3://b/a.zip"
                    }
                  }
                }
                """, LaunchDescriptors.emrServerlessJob(l));
    }

    @Test
    void emrServerlessJob_putsEntriesThatWouldNeedQuotingIntoSparkDefaults() throws Exception {
        SparkLaunch l = managed(ordered("spark.executor.memory", "4g",
                "spark.driver.extraJavaOptions", "-Dlog4j.configuration=x -Da=b",
                "spark.app.tag", "say \"hi\"", "spark.pattern", "a\\\\d", "spark.quote", "it's", "spark.empty", ""),
                null, List.of());
        JsonNode j = new ObjectMapper().readTree(LaunchDescriptors.emrServerlessJob(l));
        assertFits(EMR_START_JOB_RUN, j, "$");
        JsonNode submit = j.get("jobDriver").get("sparkSubmit");
        assertNull(submit.get("entryPointArguments")); // none given: left out (the model requires 1+ characters each)
        Map<String, String> params = confPairs(submit.get("sparkSubmitParameters").asText());
        assertEquals("4g", params.get("spark.executor.memory"));
        assertEquals("", params.get("spark.empty")); // --conf k= is a plain word; the properties map would refuse it
        assertFalse(params.containsKey("spark.archives")); // no environment: no archive and no interpreter settings
        assertFalse(params.keySet().stream().anyMatch(k -> k.contains("PYSPARK")));
        JsonNode configs = j.get("configurationOverrides").get("applicationConfiguration");
        assertEquals(1, configs.size());
        assertEquals("spark-defaults", configs.get(0).get("classification").asText());
        JsonNode props = configs.get(0).get("properties");
        assertEquals(List.of("spark.driver.extraJavaOptions", "spark.app.tag", "spark.pattern", "spark.quote"),
                fieldNames(props));
        assertEquals("-Dlog4j.configuration=x -Da=b", props.get("spark.driver.extraJavaOptions").asText());
        assertEquals("say \"hi\"", props.get("spark.app.tag").asText());
        assertEquals("a\\\\d", props.get("spark.pattern").asText());
        assertEquals("it's", props.get("spark.quote").asText());
        props.fields().forEachRemaining(e -> assertTrue(e.getKey().length() <= 1024 && e.getValue().asText().length()
                <= 1024 && NOT_BLANK.matcher(e.getValue().asText()).matches(), e.getKey()));
        for (String k : List.of("spark.driver.extraJavaOptions", "spark.app.tag", "spark.pattern", "spark.quote")) {
            assertFalse(params.containsKey(k), k); // each entry in one place only
        }
    }

    @Test
    void emrServerlessJob_userInterpreterWinsAndBundleFileListsWin() throws Exception {
        SparkLaunch l = managed(ordered("spark.executorEnv.PYSPARK_PYTHON", "/opt/py/bin/python",
                "spark.jars", "s3://other/x.jar", "spark.archives", "s3://other/env.tgz#env"),
                "s3://b/app/1.0/a-pyenv.tar.gz", List.of());
        Map<String, String> params = confPairs(new ObjectMapper().readTree(LaunchDescriptors.emrServerlessJob(l))
                .get("jobDriver").get("sparkSubmit").get("sparkSubmitParameters").asText());
        assertEquals("/opt/py/bin/python", params.get("spark.executorEnv.PYSPARK_PYTHON"));
        // As spark-submit's --jars and --archives win over the same properties in spark-submit.sh.
        assertEquals("s3://b/app/1.0/jars/app-1.0.jar,s3://b/app/1.0/jars/dep-2.0.jar", params.get("spark.jars"));
        assertEquals("s3://b/app/1.0/a-pyenv.tar.gz#environment", params.get("spark.archives"));
    }

    @Test
    void dataprocBatch_fitsTheBatchSchemaAndCarriesTheWholeLaunch() throws Exception {
        SparkLaunch l = managed(ordered("spark.executor.memory", "4g", "spark.driver.extraJavaOptions", "-Da=b -Dc=d"),
                "gs://b/app/1.0/a-pyenv.tar.gz", List.of("--day", "2024-01-01"));
        JsonNode j = new ObjectMapper().readTree(LaunchDescriptors.dataprocBatch(l));
        assertFits(DATAPROC_BATCH, j, "$");
        assertEquals(List.of("pysparkBatch", "runtimeConfig"), fieldNames(j));
        JsonNode py = j.get("pysparkBatch");
        assertEquals(List.of("mainPythonFileUri", "args", "pythonFileUris", "jarFileUris", "fileUris", "archiveUris"),
                fieldNames(py));
        assertEquals("gs://b/app/1.0/main.py", py.get("mainPythonFileUri").asText());
        assertEquals("[\"--day\",\"2024-01-01\"]", py.get("args").toString());
        assertEquals("[\"gs://b/app/1.0/a-pyfiles.zip\"]", py.get("pythonFileUris").toString());
        assertEquals("[\"gs://b/app/1.0/jars/app-1.0.jar\",\"gs://b/app/1.0/jars/dep-2.0.jar\"]",
                py.get("jarFileUris").toString());
        assertEquals("[\"gs://b/app/1.0/app.yaml\"]", py.get("fileUris").toString());
        assertEquals("[\"gs://b/app/1.0/a-pyenv.tar.gz#environment\"]", py.get("archiveUris").toString());
        assertEquals("{\"spark.executor.memory\":\"4g\",\"spark.driver.extraJavaOptions\":\"-Da=b -Dc=d\","
                + "\"spark.pyspark.python\":\"./environment/bin/python\","
                + "\"spark.pyspark.driver.python\":\"./environment/bin/python\"}",
                j.get("runtimeConfig").get("properties").toString());
    }

    @Test
    void dataprocBatch_withoutEnvironmentOrExtras_leavesThemOut() throws Exception {
        SparkLaunch l = new SparkLaunch("a", "yarn", "cluster", "gs://b/main.py", List.of("gs://b/a.zip"), null, null,
                List.of(), Map.of(), List.of(), true);
        assertEquals("""
                {
                  "pysparkBatch" : {
                    "mainPythonFileUri" : "gs://b/main.py",
                    "pythonFileUris" : [ "gs://b/a.zip" ]
                  }
                }
                """, LaunchDescriptors.dataprocBatch(l));
        assertFits(DATAPROC_BATCH, new ObjectMapper().readTree(LaunchDescriptors.dataprocBatch(l)), "$");
    }

    @Test
    void dataprocBatch_keepsTheUsersInterpreter() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode p = m.readTree(LaunchDescriptors.dataprocBatch(managed(ordered("spark.pyspark.python", "/opt/py"),
                "gs://b/env.tar.gz", List.of()))).get("runtimeConfig").get("properties");
        assertEquals("{\"spark.pyspark.python\":\"/opt/py\"}", p.toString()); // the driver falls back to it
        p = m.readTree(LaunchDescriptors.dataprocBatch(managed(ordered("spark.pyspark.driver.python", "/opt/d"),
                "gs://b/env.tar.gz", List.of()))).get("runtimeConfig").get("properties");
        assertEquals("{\"spark.pyspark.driver.python\":\"/opt/d\","
                + "\"spark.pyspark.python\":\"./environment/bin/python\"}", p.toString());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}

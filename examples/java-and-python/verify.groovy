// Checked by the plugin's build after `mvn install` of this example (not needed to use it): the JARs and the shipped
// interpreter are in the bundle, the interpreter is relocatable, and on a real Spark (local mode, then a standalone
// master and worker on 127.0.0.1) the driver calls Java, the executors run the Java UDF and the pandas UDF, all on the
// shipped Python 3.8, which is on no PATH of the processes that run Spark.
import java.util.zip.ZipFile

def target = new File(basedir, 'target')
def log = new File(basedir, 'build.log').text
def name = 'java-and-python-1.0.0-SNAPSHOT'
def env = new File(target, "${name}-pyenv.tar.gz")
def launcher = new File(target, 'pybundle/spark-submit.sh')
assert env.isFile() && launcher.canExecute()

// The JARs: the project's own and its runtime dependency, beside the launcher; Spark's API (provided) is not shipped.
def jars = new File(target, 'pybundle/jars').list().sort()
assert jars == ["${name}.jar", 'commons-csv-1.10.0.jar'].sort() : jars
assert launcher.text.contains("--jars") && !launcher.text.contains(basedir.path) : 'relative paths only'

// The interpreter: shipped, checked against <pythonVersion>, and used by pybundle:verify (no local 3.8 needed).
// <pythonArchive> given as Maven coordinates (test.properties), resolved from the repository.
assert log =~ /\[INFO\] Shipping Python 3\.8\.\d+ from io\.github\.pybundle\.examples:cpython:3\.8:tar\.gz:x86_64-linux-install_only \(/
assert log =~ /\[INFO\] Built environment archive \S+ \(\d+ wheels; Python 3\.8\.\d+ shipped\)/
assert log =~ /\[INFO\] Verified: \d+ modules import with \S+\/environment\/bin\/python \[.*pandas.*pyarrow.*\]/

// Relocatable: unpacked elsewhere, the interpreter's libpython resolves inside the unpacked copy ($ORIGIN RUNPATH).
def unpacked = new File(target, 'unpacked-env')
unpacked.mkdirs()
def sh = { List<String> cmd, Map<String, String> extra = [:] ->
    def pb = new ProcessBuilder(cmd).directory(target).redirectErrorStream(true)
    pb.environment().putAll(extra)
    def p = pb.start()
    def out = p.inputStream.text
    [p.waitFor(), out]
}
assert sh(['tar', 'xzf', env.path, '-C', unpacked.path])[0] == 0
def (lddCode, ldd) = sh(['ldd', new File(unpacked, 'python/bin/python3.8').path])
assert lddCode == 0 && ldd =~ /libpython3\.8\.so\.1\.0 => ${java.util.regex.Pattern.quote(unpacked.path)}\/python\/bin\/\.\.\/lib\/libpython3\.8\.so\.1\.0/ : ldd

def venv = System.getenv('PYBUNDLE_SPARK_VENV')
if (venv == null || !new File(venv, 'bin/spark-submit').canExecute()) {
    assert System.getenv('CI') == null : 'CI must run the Spark tests: PYBUNDLE_SPARK_VENV (set by .ci/run) has no spark-submit'
    println 'Skipped the Spark runs: set PYBUNDLE_SPARK_VENV to a virtualenv with pyspark 3.5 (see .ci/run)'
    return true
}
// Spark runs with a PATH that has no Python 3.8: the shipped one is the only one.
def path = "${venv}/bin:/usr/local/bin:/usr/bin:/bin".toString()
assert sh(['sh', '-c', 'command -v python3.8'], [PATH: path])[0] != 0 : 'python3.8 must not be on the PATH Spark gets'
def run = { File script, String master, File cache ->
    def (code, out) = sh([script.path], [PATH: path, PYBUNDLE_MASTER: master, PYBUNDLE_CACHE: cache.path,
                                         SPARK_LOCAL_IP: '127.0.0.1', SPARK_HOME: new File(venv,
            'lib/python3.11/site-packages/pyspark').path])
    assert code == 0 : out
    assert out.contains('DRIVER java=Hello, PySpark, from Java ') : out
    assert out.contains('DRIVER commons-csv delimiter=,\n') : out
    assert out =~ /DRIVER python=3\.8 executable=${java.util.regex.Pattern.quote(cache.canonicalPath)}\/environments\/[0-9a-f]{64}\/python\/bin\/python3\.8\n/ : out
    // Both rows went through the executors: the Java UDF quoted them, the pandas UDF ran on the shipped 3.8.
    def executor = out.readLines().findAll { it.startsWith('EXECUTOR ') }
    assert executor.size() == 2 : out
    assert executor[0].startsWith('EXECUTOR value=plain quoted=plain python=3.8|') : out
    assert executor[1].startsWith('EXECUTOR value=with,comma quoted="with,comma" python=3.8|') : out
    executor.collect { it.split('\\|')[1] }   // the executors' sys.executable
}
// Local mode: the launcher unpacks the environment into its cache, and the executors' Python runs from there.
def localCache = new File(target, 'launcher-cache')
run(launcher, 'local[2]', localCache).each { exe ->
    assert exe.startsWith(localCache.canonicalPath + '/environments/') && exe.endsWith('/python/bin/python3.8') : exe
}
// Installed, then fetched back as an edge node would: the spark-app artifact from the local repository, unpacked into
// an empty directory outside target/, runs as it is, JARs and interpreter included.
def sparkApp = new File(localRepositoryPath, "io/github/pybundle/examples/java-and-python/1.0.0-SNAPSHOT/${name}-spark-app.tar.gz")
assert sparkApp.isFile()
def edge = new File(basedir, 'edge-node')
edge.deleteDir()
assert edge.mkdirs() && sh(['tar', 'xzf', sparkApp.path, '-C', edge.path])[0] == 0
def app = new File(edge, name)
assert new File(app, 'jars').list().sort() == jars
def edgeCache = new File(edge, 'cache')
run(new File(app, 'spark-submit.sh'), 'local[2]', edgeCache).each { exe ->
    assert exe.startsWith(edgeCache.canonicalPath + '/environments/') : exe
}

// A standalone master and worker: the executors run the archive Spark unpacked in their working directories.
def standalone = evaluate(new File(basedir, '../../../src/it/spark-standalone.groovy'))
standalone(new File(venv), target) { String masterUrl, File workDir ->
    run(launcher, masterUrl, localCache).each { exe ->
        assert exe.startsWith(workDir.canonicalPath + '/') && exe.endsWith('/environment/python/bin/python3.8') : exe
    }
}
return true

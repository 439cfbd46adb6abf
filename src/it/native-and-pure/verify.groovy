// Pure packages in the zip (importable through zipimport), native ones in the environment archive, which runs them
// once unpacked; the summary says where each went.
import java.util.zip.ZipFile

def target = new File(basedir, 'target')
def zip = new File(target, 'native-and-pure-1.0.0-pyfiles.zip')
def env = new File(target, 'native-and-pure-1.0.0-pyenv.tar.gz')
assert zip.isFile() && env.isFile()
def zipNames = new ZipFile(zip).withCloseable { z -> z.entries().collect { it.name } }
assert zipNames.contains('dateutil/__init__.py')
assert !zipNames.any { it.endsWith('.so') } : 'no compiled code in the zip'

def unpacked = new File(target, 'unpacked-env')
unpacked.mkdirs()
def tar = new ProcessBuilder('tar', 'xzf', env.path, '-C', unpacked.path).redirectErrorStream(true).start()
assert tar.waitFor() == 0 : tar.inputStream.text
def pb = new ProcessBuilder(new File(unpacked, 'bin/python').path, '-S', '-c',
        'import pandas, numpy, pyarrow, sklearn, dateutil; print(pandas.__name__, numpy.__name__, pyarrow.__name__, sklearn.__name__, dateutil.__file__.startswith("' + zip.path + '"))')
        .directory(target).redirectErrorStream(true)
pb.environment().put('PYTHONPATH', zip.path)   // as Spark puts the py-files zip there
def p = pb.start()
def out = p.inputStream.text
assert p.waitFor() == 0 : out
assert out == 'pandas numpy pyarrow sklearn True\n'

def log = new File(basedir, 'build.log').text
// The summary table: Package, Version, Size, Kind, Placed in, Needs (the highest glibc the wheel's native code needs;
// manylinux2014, the default target, provides 2.17; blank for pure wheels), File; columns as wide as their widest cell.
assert log =~ /\[INFO\] pandas +\S+ +[0-9.]+ MB  native  environment archive +glibc 2\.1[0-7] +pandas-[^ ]+-cp311-cp311-manylinux[^ ]+\.whl\n/
assert log =~ /\[INFO\] python-dateutil +\S+ +[0-9.]+ kB  pure    py-files zip +python_dateutil-[^ ]+-py[^ ]+\.whl\n/
assert log.contains('[INFO] Outputs: native-and-pure-1.0.0-pyfiles.zip (')
assert log =~ /\[INFO\] pyarrow +\S+ +[0-9.]+ MB  native  environment archive +glibc 2\.\d+ +pyarrow-[^ ]+\.whl\n/
// The second build neither re-locked nor rebuilt: the lock written by the first is unchanged, so is the bundle.
assert log.count("[INFO] Locked ${new File(basedir, 'pylock.toml').path} (") == 1
assert log.contains('[INFO] Bundle unchanged since the last build (same lock, sources and settings): reusing'
        + ' native-and-pure-1.0.0-pyfiles.zip and native-and-pure-1.0.0-pyenv.tar.gz')
assert log =~ /\[WARNING\] <excludes> leaves out tzdata \S+, which \[[^\]]*pandas [^\]]*\] needs?: the cluster must provide it/
assert log.contains('tzdata') && log =~ /\[INFO\] tzdata +- +- +- +excluded\n/
assert !zipNames.any { it.startsWith('tzdata/') }
// install placed every attached output in the repository
def repo = new File(localRepositoryPath, 'io/github/pybundle/it/native-and-pure/1.0.0')
assert new File(repo, 'native-and-pure-1.0.0-pyenv.tar.gz').bytes == env.bytes
assert new File(repo, 'native-and-pure-1.0.0-pyfiles.zip').bytes == zip.bytes

// The spark-app artifact, as an edge node gets it from the repository: unpacked into an empty directory outside
// target/, it holds the whole application under native-and-pure-1.0.0/, and its launcher names only files in there.
def sparkApp = new File(repo, 'native-and-pure-1.0.0-spark-app.tar.gz')
assert sparkApp.bytes == new File(target, 'native-and-pure-1.0.0-spark-app.tar.gz').bytes
def edge = new File(basedir, 'edge-node')
edge.deleteDir()
assert edge.mkdirs()
def untar = new ProcessBuilder('tar', 'xzf', sparkApp.path, '-C', edge.path).redirectErrorStream(true).start()
assert untar.waitFor() == 0 : untar.inputStream.text
assert edge.list() as List == ['native-and-pure-1.0.0']
def app = new File(edge, 'native-and-pure-1.0.0')
assert (app.list() as List).sort() == ['launch.json', 'main.py', 'native-and-pure-1.0.0-pyenv.tar.gz',
        'native-and-pure-1.0.0-pyfiles.zip', 'probe.py', 'spark-submit.sh']
assert new File(app, 'native-and-pure-1.0.0-pyenv.tar.gz').bytes == env.bytes
assert new File(app, 'spark-submit.sh').canExecute()
assert !new File(app, 'spark-submit.sh').text.contains(basedir.path) : 'no path of the build machine in the launcher'

// On a real Spark, through the generated launcher: local mode, then a standalone master and worker on 127.0.0.1.
def venv = System.getenv('PYBUNDLE_SPARK_VENV')
if (venv == null || !new File(venv, 'bin/spark-submit').canExecute()) {
    assert System.getenv('CI') == null : 'CI must run the Spark tests: PYBUNDLE_SPARK_VENV (set by .ci/run) has no spark-submit'
    println 'Skipped the Spark runs: set PYBUNDLE_SPARK_VENV to a virtualenv with pyspark 3.5 (see .ci/run)'
    return true
}
// pybundle:verify (profile with-spark) imported every module and ran the application on local[2].
assert log =~ /\[INFO\] Verified: \d+ modules import with \S+python3\.11 \[.*pandas.*sklearn.*\]/
assert log.contains('[INFO] Verified: the application ran on a local Spark (local[2]) through ')
def sparkEnv = { ProcessBuilder b ->
    b.environment().put('PATH', (venv + '/bin:' + System.getenv('PATH')).toString())
    b.environment().put('PYBUNDLE_CACHE', new File(target, 'launcher-cache').path)
    b.environment().put('SPARK_LOCAL_IP', '127.0.0.1') // loopback only
    b.environment().remove('SPARK_HOME')
    b
}
def launcher = new File(target, 'pybundle/spark-submit.sh')
def submit = { String master ->
    def b = sparkEnv(new ProcessBuilder(launcher.path).directory(target).redirectErrorStream(true))
    b.environment().put('PYBUNDLE_MASTER', master)
    def proc = b.start()
    def text = proc.inputStream.text
    assert proc.waitFor() == 0 : text
    assert text.contains('RESULT sum=55') : text
}
submit('local[2]')

// The unpacked spark-app runs as it is: its own launcher, its own zip and archive (unpacked into a cache of its own).
def edgeRun = sparkEnv(new ProcessBuilder(new File(app, 'spark-submit.sh').path).directory(edge)
        .redirectErrorStream(true))
edgeRun.environment().put('PYBUNDLE_MASTER', 'local[2]')
edgeRun.environment().put('PYBUNDLE_CACHE', new File(edge, 'cache').path)
def edgeProc = edgeRun.start()
def edgeText = edgeProc.inputStream.text
assert edgeProc.waitFor() == 0 : edgeText
assert edgeText.contains('RESULT sum=55') : edgeText
// One unpacked environment (beside it, the launcher's mark <sha256>.inuse.<host>.<pid>, a file).
assert new File(edge, 'cache/environments').listFiles().findAll { it.isDirectory() }.size() == 1 : 'the driver used the unpacked copy\'s archive'

// The probe (written by pybundle:probe), run on the executors as a PySpark job, describes the nodes.
def probeRun = sparkEnv(new ProcessBuilder(new File(venv, 'bin/spark-submit').path, '--master', 'local[2]',
        new File(target, 'pybundle/probe.py').path, '--executors', '2').directory(target)).redirectError(
        new File(target, 'probe.err'))
def probeProc = probeRun.start()
def probeJson = probeProc.inputStream.text
assert probeProc.waitFor() == 0 : new File(target, 'probe.err').text
def described = new groovy.json.JsonSlurper().parseText(probeJson)
assert described.probe == 1 && described.nodes.size() == 1 && described.nodes[0].nodes == 2
assert described.platforms[0] =~ /^manylinux_\d+_\d+_x86_64$/
assert described.distributions.pyspark != null : 'the executors see the pyspark they run'

// A standalone master and worker on 127.0.0.1.
def standalone = evaluate(new File(basedir, '../../../src/it/spark-standalone.groovy'))
standalone(new File(venv), target) { String masterUrl, File workDir ->
    submit(masterUrl)
    // The executors unpacked the archive in their own working directories.
    def unpackedOnWorker = []
    workDir.eachFileRecurse { f -> if (f.path.endsWith('environment/bin/python')) unpackedOnWorker << f }
    assert !unpackedOnWorker.isEmpty() : 'the worker unpacked the environment archive'
}
return true

// A model trained with one scikit-learn, refused by a bundle of another, retrained with pybundle:exec, then loaded
// on the executors (see invoker.properties for the four builds).
def log = new File(basedir, 'build.log').text
def target = new File(basedir, 'target')
def environments = new File(target, 'pybundle-cache/environments/sha256').path

// 1. pybundle:exec trained with 1.5.2, in an environment unpacked into the cache (no mvn package before it).
assert log =~ /TRAINED with scikit-learn 1\.5\.2 from \Q${environments}\E\/[0-9a-f]{64}\/lib\/python3\.11\/site-packages\/sklearn -> src\/main\/models\/clf\.pkl/
assert log.contains('[INFO] Model ' + new File(basedir, 'src/main/models').path + ' does not exist yet: not shipped in this build')
assert log.contains('[INFO] The script finished (exit status 0)')

// 2. The bundle of 1.6.1 refuses the model, naming both versions and how to retrain it.
assert log.contains('src/main/models/clf.pkl was pickled with scikit-learn 1.5.2, but the bundle ships scikit-learn 1.6.1')
assert log.contains('retrain it with the bundle\'s versions (scikit-learn 1.6.1): mvn pybundle:exec runs your training' +
        ' script in the bundle\'s environment (-Dpybundle.exec.args="train.py ...")')

// 3. pybundle:exec retrained it with 1.6.1, the model check not in its way.
assert log.contains('[INFO] Models not checked against the lock (1 model): this build is for running a script; the' +
        ' bundle goal checks them')
assert log =~ /TRAINED with scikit-learn 1\.6\.1 from \Q${environments}\E\/[0-9a-f]{64}\/lib\/python3\.11\/site-packages\/sklearn/
// Two locks, two environments, each unpacked once.
assert new File(environments).listFiles().findAll { it.isDirectory() && !it.name.startsWith('.') }.size() == 2

// 4. The bundle checks the model and ships it; verify loads it with warnings as errors.
assert log.contains('[INFO] Model src/main/models/clf.pkl: checked, pickled with scikit-learn 1.6.1')
assert log =~ /\[INFO\] Verified: 1 model loads with \S+python3\.11 \(warnings as errors\) \[clf\.pkl\]/
assert new File(target, 'pybundle/files/clf.pkl').bytes == new File(basedir, 'src/main/models/clf.pkl').bytes
assert !log.contains('\tat io.github') : 'no stack trace'

// On a real Spark: the executors load the model from SparkFiles, warnings as errors, and predict.
def venv = System.getenv('PYBUNDLE_SPARK_VENV')
if (venv == null || !new File(venv, 'bin/spark-submit').canExecute()) {
    assert System.getenv('CI') == null : 'CI must run the Spark tests: PYBUNDLE_SPARK_VENV (set by .ci/run) has no spark-submit'
    println 'Skipped the Spark run: set PYBUNDLE_SPARK_VENV to a virtualenv with pyspark 3.5 (see .ci/run)'
    return true
}
assert log.contains('[INFO] Verified: the application ran on a local Spark (local[2]) through ')
def b = new ProcessBuilder(new File(target, 'pybundle/spark-submit.sh').path).directory(target).redirectErrorStream(true)
b.environment().put('PATH', (venv + '/bin:' + System.getenv('PATH')).toString())
b.environment().put('PYBUNDLE_CACHE', new File(target, 'launcher-cache').path)
b.environment().put('PYBUNDLE_MASTER', 'local[2]')
b.environment().put('SPARK_LOCAL_IP', '127.0.0.1') // loopback only
b.environment().remove('SPARK_HOME')
def proc = b.start()
def text = proc.inputStream.text
assert proc.waitFor() == 0 : text
assert text.contains('RESULT positives=5 sklearn=1.6.1') : text
return true

// Checked by the plugin's build after `mvn install` of this example: the outputs exist, the app runs from the
// py-files zip alone, and install put the attached files in the local repository. Not needed to use the example.
import java.util.zip.ZipFile

def target = new File(basedir, 'target')
def zip = new File(target, 'wordcount-1.0.0-SNAPSHOT-pyfiles.zip')
def wheel = new File(target, 'wordcount-1.0.0.dev0-py3-none-any.whl')
def launcher = new File(target, 'pybundle/spark-submit.sh')
assert zip.isFile() : "missing $zip"
assert wheel.isFile() : "missing $wheel"
assert launcher.canExecute() : "launcher not executable: $launcher"

def names = new ZipFile(zip).withCloseable { z -> z.entries().collect { it.name } }
assert names == ['wordcount/', 'wordcount/__init__.py', 'wordcount/data/', 'wordcount/data/stopwords.txt',
                 'wordcount/text.py']

// The environment archive holds regex (compiled code) and bin/python; the package itself is in the zip.
def env = new File(target, 'wordcount-1.0.0-SNAPSHOT-pyenv.tar.gz')
def envNames = ['tar', 'tzf', env.path].execute().text.readLines()
assert envNames.contains('bin/python') && envNames.any { it ==~ /lib\/python3\.11\/site-packages\/regex\/_regex\..*\.so/ }

// The main script, run from a directory of its own through the unpacked environment's bin/python with only the zip
// on PYTHONPATH, imports the package from the zip and regex from the environment, as an executor would.
def unpacked = new File(target, 'unpacked-env')
unpacked.mkdirs()
assert ['tar', 'xzf', env.path, '-C', unpacked.path].execute().waitFor() == 0
def runDir = new File(target, 'run')
runDir.mkdirs()
new File(runDir, 'main.py').bytes = new File(target, 'pybundle/main.py').bytes
def pb = new ProcessBuilder(new File(unpacked, 'bin/python').path, '-S', 'main.py').directory(runDir)
        .redirectErrorStream(true)
pb.environment().put('PYTHONPATH', zip.path)
def p = pb.start()
def out = p.inputStream.text
if (p.waitFor() != 0 && out.contains('this environment was built for Python 3.11')) {
    println "Skipped running the example: python3 here is not 3.11 (${out.readLines()[0]})"
} else {
    assert out == 'engine: python\nside\t5\npython\t3\njvm\t2\n' : out
}

def log = new File(basedir, 'build.log').text
assert log =~ /\[INFO\] Verified: 2 modules import with \S+ \[regex, wordcount\]/
assert log.contains("Launcher: ${launcher.path} [application arguments...]")

def repo = new File(localRepositoryPath, 'io/github/pybundle/examples/wordcount/1.0.0-SNAPSHOT')
assert new File(repo, 'wordcount-1.0.0-SNAPSHOT.whl').isFile()
assert new File(repo, 'wordcount-1.0.0-SNAPSHOT-pyfiles.zip').isFile()
assert new File(repo, 'wordcount-1.0.0-SNAPSHOT-pyfiles.zip').bytes == zip.bytes
return true

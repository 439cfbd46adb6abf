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

// The main script, run from a directory of its own with only the zip on PYTHONPATH, imports the package from the zip.
// (The shared helper lives with the plugin's integration tests: this example is checked from target/it-examples.)
def runFromZip = evaluate(new File(basedir, '../../../src/it/run-from-zip.groovy'))
assert runFromZip(zip, new File(target, 'pybundle/main.py')) == 'engine: python\nside\t5\npython\t3\njvm\t2\n'

def log = new File(basedir, 'build.log').text
assert log =~ /\[INFO\] Verified: 1 modules import with \S+ \[wordcount\]/
assert log.contains("Launcher: ${launcher.path} [application arguments...]")

def repo = new File(localRepositoryPath, 'io/github/pybundle/examples/wordcount/1.0.0-SNAPSHOT')
assert new File(repo, 'wordcount-1.0.0-SNAPSHOT.whl').isFile()
assert new File(repo, 'wordcount-1.0.0-SNAPSHOT-pyfiles.zip').isFile()
assert new File(repo, 'wordcount-1.0.0-SNAPSHOT-pyfiles.zip').bytes == zip.bytes
return true

// Round trip on the real index: lock, bundle, then bundle again offline from the lock; the app runs from the zip.
import java.util.zip.ZipFile

def lock = new File(basedir, 'pylock.toml').text
assert lock.contains('name = "python-dateutil"')
// The transitive set depends on the index's current releases: count it rather than name it.
def lockedCount = (lock =~ /\[\[packages\]\]/).size()
assert lockedCount >= 1
def dateutil = (lock =~ /name = "python-dateutil"\nversion = "([^"]+)"/)[0][1]

def zip = new File(basedir, 'target/lock-then-offline-bundle-1.0.0-pyfiles.zip')
def names = new ZipFile(zip).withCloseable { z -> z.entries().collect { it.name } }
assert names.contains('dateutil/relativedelta.py')
assert names.count { it.matches('[^/]+\\.dist-info/METADATA') } == lockedCount

def log = new File(basedir, 'build.log').text
assert log.contains('Downloaded from pip-index: ') || log.contains('Downloaded from pypi: ')
assert log.contains("[INFO] Using ${new File(basedir, 'pylock.toml').path} (${lockedCount} packages")
// The second, offline build downloaded nothing: exactly one download line per locked package in the whole log.
assert log.count('[INFO] Downloaded from ') == lockedCount

def runFromZip = evaluate(new File(basedir, '../../../src/it/run-from-zip.groovy'))
assert runFromZip(zip, new File(basedir, 'target/pybundle/main.py')) == "1 ${dateutil}\n"
return true

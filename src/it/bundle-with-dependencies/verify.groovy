// The dependencies were resolved for the target, locked, and bundled into the py-files zip; the app runs with only
// the zip on PYTHONPATH (importlib.metadata finds their dist-info inside it); the second build reused the outputs
// and the third (after clean) used the lock.
import java.util.zip.ZipFile

def zip = new File(basedir, 'target/bundle-with-dependencies-1.0.0-pyfiles.zip')
def names = new ZipFile(zip).withCloseable { z -> z.entries().collect { it.name } }
assert names.containsAll(['app/__init__.py', 'greeter/__init__.py', 'tiny_dep/__init__.py',
                          'greeter-1.0.dist-info/METADATA', 'tiny_dep-1.0.dist-info/RECORD'])
def lock = new File(basedir, 'pylock.toml').text
assert lock.contains('name = "greeter"\nversion = "1.0"')
assert lock.contains('path = "wheels/greeter-1.0-py3-none-any.whl"')

def runFromZip = evaluate(new File(basedir, '../../../src/it/run-from-zip.groovy'))
assert runFromZip(zip, new File(basedir, 'target/pybundle/main.py')) == 'hello cluster! 1.0 1.0\n'
def log = new File(basedir, 'build.log').text
assert log.contains("[INFO] Using ${new File(basedir, 'pylock.toml').path} (2 packages, created by pybundle")
assert log.contains('; 2 dependency wheels)')
// The second build changed nothing: the outputs were reused, not rebuilt.
assert log.contains('[INFO] Bundle unchanged since the last build (same lock, sources and settings): reusing'
        + ' bundle-with-dependencies-1.0.0-pyfiles.zip')
assert log.contains("pylock.toml is out of date: requirements: added [tiny-dep>=1]")
assert log.contains('hint: re-lock with mvn pybundle:lock, or add -Dpybundle.updateLock to this build')
// An edit the locked versions still satisfy keeps the lock, as uv and pip-tools do; tree shows the locked versions.
def lockFile = new File(basedir, 'pylock.toml').path
assert log.contains("[INFO] Kept the locked versions of ${lockFile}: they still satisfy the changed requirements" +
        " (requirements: added [greeter>=0.5]); no version changed")
assert log.contains("[INFO] Dependencies for cp311 / manylinux2014_x86_64, as locked in ${lockFile} (what the bundle" +
        " uses; -Dpybundle.refresh resolves afresh):")
def root = log.readLines().find { it.startsWith('[INFO] greeter 1.0  <- ') }
assert root != null && root.contains('greeter>=1 (') && root.contains('greeter>=0.5 (<requirements> entry 1)') : root
assert log.contains('[INFO] `-- tiny-dep 1.0  (required by greeter)')
// An edit that excludes the locked version says which and why.
assert log.contains("pylock.toml is out of date: requirements: added [greeter>=2], removed [greeter>=0.5]; greeter 1.0" +
        " (locked) does not satisfy the requirement greeter>=2 (<requirements> entry 1)")
return true

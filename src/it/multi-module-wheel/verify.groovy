// One module builds a library wheel, another depends on it (type whl) and bundles it.
import java.util.zip.ZipFile

def zip = new File(basedir, 'app/target/app-1.0.0-pyfiles.zip')
def names = new ZipFile(zip).withCloseable { z -> z.entries().collect { it.name } }
assert names.contains('shared_lib/__init__.py')
assert names.contains('shared_lib-1.0.0.dist-info/METADATA')
def runFromZip = evaluate(new File(basedir, '../../../src/it/run-from-zip.groovy'))
assert runFromZip(zip, new File(basedir, 'app/target/pybundle/main.py')) == 'FROM THE LIBRARY WHEEL!\n'
// The second build took the wheel from the repository and gave it back its PEP 427 name.
def repoWheel = new File(localRepositoryPath, 'io/github/pybundle/it/shared-lib/1.0.0/shared-lib-1.0.0.whl')
assert repoWheel.isFile()
assert new File(basedir, 'app/target/pybundle/maven-wheels/shared_lib-1.0.0-py3-none-any.whl').bytes == repoWheel.bytes
assert new File(localRepositoryPath, 'io/github/pybundle/it/app/1.0.0/app-1.0.0-pyfiles.zip').isFile()
return true

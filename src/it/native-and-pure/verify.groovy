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
def pb = new ProcessBuilder(new File(unpacked, 'bin/python').path, '-c',
        'import pandas, numpy, pyarrow, dateutil; print(pandas.__name__, numpy.__name__, pyarrow.__name__, dateutil.__file__.startswith("' + zip.path + '"))')
        .directory(target).redirectErrorStream(true)
pb.environment().put('PYTHONPATH', zip.path)   // as Spark puts the py-files zip there
def p = pb.start()
def out = p.inputStream.text
assert p.waitFor() == 0 : out
assert out == 'pandas numpy pyarrow True\n'

def log = new File(basedir, 'build.log').text
assert log =~ /\[INFO\] pandas-[^ ]+-cp311-cp311-manylinux[^ ]+\.whl +[0-9.]+ MB  native  environment archive/
assert log =~ /\[INFO\] python_dateutil-[^ ]+-py[^ ]+\.whl +[0-9.]+ kB  pure    py-files zip/
assert log.contains('[INFO] Outputs: native-and-pure-1.0.0-pyfiles.zip (')
assert log =~ /\[INFO\] pyarrow-[^ ]+\.whl +[0-9.]+ MB  native  environment archive/
assert log.contains("[INFO] Using ${new File(basedir, 'pylock.toml').path} (")
assert log.contains('[INFO] Bundle unchanged since the last build (same lock, sources and settings): reusing'
        + ' native-and-pure-1.0.0-pyfiles.zip and native-and-pure-1.0.0-pyenv.tar.gz')
assert log =~ /\[WARNING\] <excludes> leaves out tzdata \S+, which \[[^\]]*pandas [^\]]*\] needs?: the cluster must provide it/
assert log.contains('tzdata') && log =~ /\[INFO\] tzdata +- +- +excluded/
assert !zipNames.any { it.startsWith('tzdata/') }
// install placed every attached output in the repository
def repo = new File(localRepositoryPath, 'io/github/pybundle/it/native-and-pure/1.0.0')
assert new File(repo, 'native-and-pure-1.0.0-pyenv.tar.gz').bytes == env.bytes
assert new File(repo, 'native-and-pure-1.0.0-pyfiles.zip').bytes == zip.bytes
return true

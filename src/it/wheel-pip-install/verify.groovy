// The wheel installs with pip into a fresh virtualenv; its package imports and importlib.metadata sees it.
def wheel = new File(basedir, 'target/greeting_lib-2.1rc1-py3-none-any.whl')
assert wheel.isFile() : "missing $wheel"

def run(List cmd) {
    def p = new ProcessBuilder(cmd*.toString()).redirectErrorStream(true).start()
    def out = p.inputStream.text
    assert p.waitFor() == 0 : "${cmd.join(' ')} failed:\n$out"
    return out
}

def venv = File.createTempDir()
try {
    run(['python3', '-m', 'venv', venv.path])
    run(["$venv/bin/pip", 'install', '--no-index', '--no-deps', '--disable-pip-version-check', wheel.path])
    def out = run(["$venv/bin/python", '-c',
                   'import greeting, importlib.metadata as m; print(greeting.hello("pip")); '
                           + 'print(m.version("greeting-lib")); print(m.metadata("greeting-lib")["Summary"])'])
    assert out == 'Hello, pip!\n2.1rc1\nIntegration test: greeting-lib\n'
    // pip recorded every file from RECORD: uninstall removes the package completely.
    run(["$venv/bin/pip", 'uninstall', '-y', 'greeting-lib'])
    def site = new File(venv, 'lib').listFiles()[0]
    assert !new File(site, 'site-packages/greeting').exists()
} finally {
    venv.deleteDir()
}
return true

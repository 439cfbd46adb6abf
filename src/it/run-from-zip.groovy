// Shared by the verify scripts: runs a main script with python3 from a directory of its own, with only the given
// py-files zip on PYTHONPATH (no site-packages: -S), and returns what it printed; fails on a non-zero exit.
return { File zip, File mainScript ->
    def runDir = File.createTempDir()
    try {
        def main = new File(runDir, 'main.py')
        main.bytes = mainScript.bytes
        def pb = new ProcessBuilder('python3', '-S', main.path).directory(runDir).redirectErrorStream(true)
        pb.environment().put('PYTHONPATH', zip.path)
        def p = pb.start()
        def out = p.inputStream.text
        assert p.waitFor() == 0 : out
        return out
    } finally {
        runDir.deleteDir()
    }
}

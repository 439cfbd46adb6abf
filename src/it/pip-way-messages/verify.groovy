// The messages and views a pip or uv user relies on (see invoker.properties for the builds).
def log = new File(basedir, 'build.log').text
def lockFile = new File(basedir, 'pylock.toml')

// 1. Both misspelt names at once, each with the closest name the find-links directory has.
assert log =~ /\[ERROR\] .*no project named 'scikit-lern' \(<requirements> entry 1\) or 'greetr' \(<requirements> entry 2\) on /
assert log.contains('did you mean scikit-learn instead of scikit-lern?')
assert log.contains('did you mean greeter instead of greetr?')
assert !log.contains('relax one of the requirements')

// 2. greeter 1.0 locked.
assert lockFile.text.contains('name = "greeter"\nversion = "1.0"')

// 3. tree: the locked version, though 2.0 is available now.
assert log.contains("[INFO] Dependencies for cp311 / manylinux2014_x86_64, as locked in ${lockFile.path} (what the" +
        " bundle uses; -Dpybundle.refresh resolves afresh):")
assert log.contains('[INFO] greeter 1.0  <- greeter (<requirements> entry 1)')

// 4. tree -Dpybundle.refresh: 2.0, marked.
assert log.contains("(marked: versions that differ from ${lockFile.path}):")
assert log.contains('[INFO] greeter 2.0  <- greeter (<requirements> entry 1)  [locked: 1.0]')
assert lockFile.text.contains('version = "1.0"') : 'tree never rewrites the lock'

// 5. A Windows target with a compiled dependency: refused, saying why and what to do.
assert log.contains('pybundle cannot build an environment archive for win_amd64 (Windows), and this bundle needs' +
        ' one for ')
assert log.contains('fastlib-1.0-cp311-cp311-win_amd64.whl')
assert !log.contains('\tat io.github') : 'no stack trace'
return true

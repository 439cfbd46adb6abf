def log = new File(basedir, 'build.log').text
def main = new File(basedir, 'src/main/python/main.py').path
assert log.contains("<mainScript>: the main script $main does not exist")
assert log.contains('hint: create it (the script Spark runs, e.g. src/main/python/main.py), or set <mainScript>')
assert !new File(basedir, 'target/no-main-1.0.0-pyfiles.zip').exists() : 'no output after a failure'
return true

// -Dpybundle.skip skips every goal and writes nothing.
def log = new File(basedir, 'build.log').text
assert log.contains('Skipping pybundle:wheel: pybundle.skip is true')
assert log.contains('Skipping pybundle:bundle: pybundle.skip is true')
def target = new File(basedir, 'target')
assert !target.exists() || target.list().length == 0 : "skip wrote ${target.list()}"
return true

// A malformed pom requirement fails at the start of the build, naming the element, the entry and the fault.
def log = new File(basedir, 'build.log').text
assert log.contains("<requirements>: entry 2: 'pandas>=2,<' is not a valid requirement: Expected end or semicolon (after version specifier)")
assert log.contains('[ERROR]     pandas>=2,<\n[ERROR]           ~~~~^\n')
assert !log.contains('Caused by:') && !log.contains('\n    at ') : 'no stack trace'
assert !new File(basedir, 'target').exists() : 'nothing is built after a configuration error'
return true

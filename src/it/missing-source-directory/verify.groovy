def log = new File(basedir, 'build.log').text
def dir = new File(basedir, 'src/main/python').path
assert log.contains("<pythonSourceDirectory>: the Python source directory $dir does not exist")
assert log.contains('hint: create it and put your packages there, or set <pythonSourceDirectory>')
assert !log.contains('Caused by:') && !log.contains('\n    at ') : 'no stack trace without -e'
return true

// A bad line in a requirements file is reported as file:line with the reason and a hint.
def log = new File(basedir, 'build.log').text
def file = new File(basedir, 'requirements.txt').canonicalPath
assert log.contains("${file}:3: editable requirements (-e) are not supported")
assert log.contains('hint: build the project as a wheel (pybundle:wheel)')
return true

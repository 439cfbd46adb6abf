def log = new File(basedir, 'build.log').text
assert log.contains("<pythonSourceDirectory>: 'my-pkg' (")
assert log.contains(") is not a valid Python package name, so Python could not import it")
assert log.contains("hint: rename it to a Python identifier such as 'my_pkg'")
return true

def log = new File(basedir, 'build.log').text
assert log.contains("Project <version>: the Maven version '1.0-M1' cannot be mapped to a PEP 440 version")
assert log.contains('hint: or set <distributionVersion> to the PEP 440 version the wheel should carry')
return true

// <profile>emr-7</profile> alone made the target: Python 3.9 (greeter 2.0 needs 3.10, so 1.0 was locked) on
// manylinux_2_34_x86_64; the log names the profile and the lock records its environment; the spark-operator
// descriptor took the profile's Spark version; the profiles goal listed the profiles.
def lock = new File(basedir, 'pylock.toml').text
assert lock.contains('environments = ["python_version == \\"3.9\\" and implementation_name == \\"cpython\\" and' +
        ' sys_platform == \\"linux\\" and platform_machine == \\"x86_64\\""]') : lock
assert lock.contains('name = "greeter"\nversion = "1.0"') : lock

def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] Target profile emr-7 (Amazon EMR 7.x on EC2 (Amazon Linux 2023, x86_64)): Python 3.9,' +
        ' manylinux_2_34_x86_64, Spark 3.5, no provided packages; explicit <target> elements override it')
assert log.readLines().any { it.startsWith('[INFO] Resolved 1 package for cp39 / manylinux_2_34_x86_64') } : log

def app = new File(basedir, 'target/pybundle/spark-application.yaml').text
assert app.contains('  sparkVersion: "3.5"\n') : app

assert log.readLines().any { it.matches(/\[INFO\]   emr-7 +3\.9 +manylinux_2_34_x86_64 +3\.5 +0 +https:\/\/docs\.aws\.amazon\.com\/.*/) }
assert log.contains('[INFO]   databricks-15.4 ')
return true

// The lock was made through an index that needs settings.xml credentials, for Python 3.8 (demo-lib 3.0 needs 3.10),
// with pyspark treated as provided; the password appears nowhere the user or CI can see.
import java.security.MessageDigest

context.server.stop(0)
def sha = { byte[] b -> MessageDigest.getInstance('SHA-256').digest(b).encodeHex().toString() }
def lock = new File(basedir, 'pylock.toml').text
def w2 = context.wheels['demo-lib'].find { it.filename == 'demo_lib-2.0-py3-none-any.whl' }
def t16 = context.wheels['tiny-dep'].find { it.filename == 'tiny_dep-1.6-py3-none-any.whl' }
assert lock.contains('lock-version = "1.0"')
assert lock.contains('requires-python = "==3.8.*"')
assert lock.contains("name = \"demo-lib\"\nversion = \"2.0\"")
assert lock.contains("hashes = {sha256 = \"${sha(w2.bytes)}\"}")
assert lock.contains("name = \"tiny-dep\"\nversion = \"1.6\"")
assert lock.contains("hashes = {sha256 = \"${sha(t16.bytes)}\"}")
assert !lock.contains('name = "pyspark"') : 'pyspark comes with Spark'
assert lock.contains('dependencies = [{name = "tiny-dep"}]')

def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] Resolved 2 packages for cp38 / manylinux2014_x86_64 in ')
assert log.contains('[INFO] demo-lib 2.0  <- demo-lib>=1 (<requirements> entry 1)')
assert log.contains('[INFO] `-- tiny-dep 1.6  (tiny-dep>=1.5)')
assert log.contains('[INFO] pyspark (any version)  provided by the cluster, for pyspark>=3 (<requirements> entry 2); pyspark>=3 (demo-lib 2.0)')

assert context.requests.every { it.auth != null } : 'credentials were sent on every request'
assert context.requests.count { it.path.endsWith('.whl') } == 0 : 'metadata files only; no wheel downloaded to lock'

def secret = 'it-secret-password-4711'
assert !log.contains(secret)
assert !lock.contains(secret)
new File(basedir, 'target').eachFileRecurse { f ->
    if (f.isFile()) {
        assert !new String(f.bytes, 'ISO-8859-1').contains(secret) : "password found in ${f}"
    }
}
return true

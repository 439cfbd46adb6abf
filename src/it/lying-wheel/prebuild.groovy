// Fetches numpy 2.4.6's published wheel for cp311 / manylinux_2_28 from the package index (pip, with this machine's
// pip configuration) into published/, and writes lying/ with the same wheel re-tagged manylinux2014_x86_64: new file
// name, new WHEEL tags, and a RECORD whose WHEEL line matches, so every check but the native one passes.
import java.security.MessageDigest
import java.util.zip.ZipEntry
import java.util.zip.ZipFile
import java.util.zip.ZipOutputStream

def published = new File(basedir, 'published')
published.mkdirs()
def pip = new ProcessBuilder('python3', '-m', 'pip', 'download', 'numpy==2.4.6', '--only-binary=:all:', '--no-deps',
        '--platform', 'manylinux_2_28_x86_64', '--python-version', '3.11', '--implementation', 'cp',
        '-d', published.path).redirectErrorStream(true).start()
def out = pip.inputStream.text
assert pip.waitFor() == 0 : out
def original = published.listFiles().find { it.name.endsWith('.whl') }
assert original != null : out

def lying = new File(basedir, 'lying')
lying.mkdirs()
def tag = 'cp311-cp311-manylinux2014_x86_64'
def target = new File(lying, "numpy-2.4.6-${tag}.whl")
def b64 = { byte[] b -> Base64.urlEncoder.withoutPadding().encodeToString(MessageDigest.getInstance('SHA-256').digest(b)) }
new ZipFile(original).withCloseable { zin ->
    def entries = zin.entries().toList()
    def wheelEntry = entries.find { it.name.endsWith('.dist-info/WHEEL') }
    def wheelText = zin.getInputStream(wheelEntry).text.readLines().findAll { !it.startsWith('Tag:') }.join('\n') +
            "\nTag: ${tag}\n"
    def wheelBytes = wheelText.bytes
    new ZipOutputStream(new FileOutputStream(target)).withCloseable { zout ->
        entries.each { e ->
            byte[] data = e.name == wheelEntry.name ? wheelBytes : zin.getInputStream(e).bytes
            if (e.name.endsWith('.dist-info/RECORD')) {
                data = new String(data, 'UTF-8').readLines().collect { line ->
                    line.startsWith(wheelEntry.name + ',') ? "${wheelEntry.name},sha256=${b64(wheelBytes)},${wheelBytes.length}" : line
                }.join('\n').concat('\n').bytes
            }
            zout.putNextEntry(new ZipEntry(e.name))
            zout.write(data)
            zout.closeEntry()
        }
    }
}
return true

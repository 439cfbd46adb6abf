// Writes the find-links directories: wheels/ (greeter 1.0, a scikit-learn stand-in, fastlib for Windows) and
// wheels-new/ (greeter 1.0 and 2.0).
import java.security.MessageDigest
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

def wheel = { String dirName, String name, String version, String tag, boolean pure ->
    def dist = "${name.replace('-', '_')}-${version}"
    def files = new LinkedHashMap<String, String>()
    files["${name.replace('-', '_')}/__init__.py".toString()] = "VERSION = '${version}'\n"
    files["${dist}.dist-info/METADATA".toString()] = "Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n"
    files["${dist}.dist-info/WHEEL".toString()] = "Wheel-Version: 1.0\nRoot-Is-Purelib: ${pure}\nTag: ${tag}\n"
    files["${dist}.dist-info/RECORD".toString()] = files.collect { k, v ->
        "${k},sha256=${Base64.urlEncoder.withoutPadding().encodeToString(MessageDigest.getInstance('SHA-256').digest(v.bytes))},${v.bytes.length}"
    }.join('\n') + "\n${dist}.dist-info/RECORD,,\n"
    def dir = new File(basedir, dirName)
    dir.mkdirs()
    new ZipOutputStream(new FileOutputStream(new File(dir, "${dist}-${tag}.whl"))).withCloseable { z ->
        files.each { k, v -> z.putNextEntry(new ZipEntry(k)); z.write(v.bytes); z.closeEntry() }
    }
}
wheel('wheels', 'greeter', '1.0', 'py3-none-any', true)
wheel('wheels', 'scikit-learn', '1.5.0', 'py3-none-any', true)
wheel('wheels', 'fastlib', '1.0', 'cp311-cp311-win_amd64', false)
wheel('wheels-new', 'greeter', '1.0', 'py3-none-any', true)
wheel('wheels-new', 'greeter', '2.0', 'py3-none-any', true)
return true

// Writes a find-links directory, wheels/: greeter 1.0 (Requires-Python >=3.8) and greeter 2.0 (>=3.10); the emr-7
// profile's Python 3.9 must choose 1.0.
import java.security.MessageDigest
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

def wheel = { String name, String version, Map<String, String> modules, String py ->
    def dist = "${name.replace('-', '_')}-${version}"
    def files = new LinkedHashMap<String, String>(modules)
    files["${dist}.dist-info/METADATA".toString()] = "Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n" +
            "Requires-Python: ${py}\n"
    files["${dist}.dist-info/WHEEL".toString()] = "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files["${dist}.dist-info/RECORD".toString()] = files.collect { k, v ->
        "${k},sha256=${Base64.urlEncoder.withoutPadding().encodeToString(MessageDigest.getInstance('SHA-256').digest(v.bytes))},${v.bytes.length}"
    }.join('\n') + "\n${dist}.dist-info/RECORD,,\n"
    def dir = new File(basedir, 'wheels')
    dir.mkdirs()
    new ZipOutputStream(new FileOutputStream(new File(dir, "${dist}-py3-none-any.whl"))).withCloseable { z ->
        files.each { k, v -> z.putNextEntry(new ZipEntry(k)); z.write(v.bytes); z.closeEntry() }
    }
}
wheel('greeter', '1.0', ['greeter/__init__.py': 'def greet(n):\n    return "hello " + n\n'], '>=3.8')
wheel('greeter', '2.0', ['greeter/__init__.py': 'def greet(n):\n    return "v2"\n'], '>=3.10')
return true

// Writes the wheels the project depends on into wheels/ (a find-links directory): greeter 1.0 and 2.0 (2.0 needs
// Python 3.12, so 1.0 must be chosen for the 3.11 target) depending on tiny-dep.
import java.security.MessageDigest
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

def wheel = { String name, String version, Map<String, String> modules, List<String> deps, String py ->
    def dist = "${name.replace('-', '_')}-${version}"
    def files = new LinkedHashMap<String, String>(modules)
    files["${dist}.dist-info/METADATA".toString()] = "Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n" +
            (py ? "Requires-Python: ${py}\n" : '') + deps.collect { "Requires-Dist: ${it}\n" }.join('')
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
wheel('greeter', '1.0', ['greeter/__init__.py': 'from tiny_dep import EXCLAIM\n\ndef greet(n):\n    return "hello " + n + EXCLAIM\n'],
        ['tiny-dep>=1'], '>=3.8')
wheel('greeter', '2.0', ['greeter/__init__.py': 'def greet(n):\n    return "v2"\n'], ['tiny-dep>=1'], '>=3.12')
wheel('tiny-dep', '1.0', ['tiny_dep/__init__.py': 'EXCLAIM = "!"\n'], [], null)
return true

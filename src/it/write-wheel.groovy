// Shared by the integration tests' prebuild scripts: evaluate(file)(dir, spec) writes a wheel into the directory `dir`
// (a find-links directory) from a map: name, version, modules (path -> text), and optionally deps (Requires-Dist),
// py (Requires-Python), tag (default py3-none-any) and pure (default true). Its RECORD is consistent.
import java.security.MessageDigest
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

return { File dir, Map spec ->
    String name = spec.name
    String version = spec.version
    String tag = spec.tag ?: 'py3-none-any'
    boolean pure = spec.pure == null ? true : spec.pure
    def dist = "${name.replace('-', '_')}-${version}"
    def files = new LinkedHashMap<String, String>(spec.modules ?: [:])
    files["${dist}.dist-info/METADATA".toString()] = "Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n" +
            (spec.py ? "Requires-Python: ${spec.py}\n" : '') + (spec.deps ?: []).collect { "Requires-Dist: ${it}\n" }.join('')
    files["${dist}.dist-info/WHEEL".toString()] = "Wheel-Version: 1.0\nRoot-Is-Purelib: ${pure}\nTag: ${tag}\n"
    files["${dist}.dist-info/RECORD".toString()] = files.collect { k, v ->
        "${k},sha256=${Base64.urlEncoder.withoutPadding().encodeToString(MessageDigest.getInstance('SHA-256').digest(v.bytes))},${v.bytes.length}"
    }.join('\n') + "\n${dist}.dist-info/RECORD,,\n"
    dir.mkdirs()
    new ZipOutputStream(new FileOutputStream(new File(dir, "${dist}-${tag}.whl"))).withCloseable { z ->
        files.each { k, v -> z.putNextEntry(new ZipEntry(k)); z.write(v.bytes); z.closeEntry() }
    }
}

// Starts a simple-API index on 127.0.0.1 that demands Basic auth, with wheels built here, and points the build at it
// through .mvn/maven.config. verify.groovy stops it.
import com.sun.net.httpserver.HttpServer
import java.security.MessageDigest
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

def wheel = { String name, String version, List<String> deps, String pyVersion ->
    def dist = "${name.replace('-', '_')}-${version}"
    def meta = "Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n" +
            (pyVersion ? "Requires-Python: ${pyVersion}\n" : '') + deps.collect { "Requires-Dist: ${it}\n" }.join('')
    def files = [("${name.replace('-', '_')}/__init__.py".toString()): "V = '${version}'\n".toString(),
                 ("${dist}.dist-info/METADATA".toString()): meta,
                 ("${dist}.dist-info/WHEEL".toString()): "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"]
    def record = files.collect { k, v ->
        def h = Base64.urlEncoder.withoutPadding().encodeToString(MessageDigest.getInstance('SHA-256').digest(v.bytes))
        "${k},sha256=${h},${v.bytes.length}"
    }.join('\n') + "\n${dist}.dist-info/RECORD,,\n"
    files["${dist}.dist-info/RECORD".toString()] = record
    def out = new ByteArrayOutputStream()
    new ZipOutputStream(out).withCloseable { z -> files.each { k, v -> z.putNextEntry(new ZipEntry(k)); z.write(v.bytes); z.closeEntry() } }
    [filename: "${dist}-py3-none-any.whl".toString(), bytes: out.toByteArray(), metadata: meta.bytes]
}
def projects = [
    'demo-lib': [wheel('demo-lib', '1.0', ['tiny-dep>=1'], null), wheel('demo-lib', '2.0', ['tiny-dep>=1.5', 'pyspark>=3'], '>=3.7'),
                 wheel('demo-lib', '3.0', [], '>=3.10')],
    'tiny-dep': [wheel('tiny-dep', '1.0', [], null), wheel('tiny-dep', '1.6', [], null)],
]
def sha = { byte[] b -> MessageDigest.getInstance('SHA-256').digest(b).encodeHex().toString() }
def expectedAuth = 'Basic ' + Base64.encoder.encodeToString('it-user:it-secret-password-4711'.bytes)
def requests = Collections.synchronizedList([])
def server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
server.createContext('/') { ex ->
    def path = ex.requestURI.path
    def auth = ex.requestHeaders.getFirst('Authorization')
    requests << [path: path, auth: auth]
    byte[] body = null
    String type = 'application/octet-stream'
    if (auth != expectedAuth) {
        ex.sendResponseHeaders(401, -1); ex.close(); return
    }
    def m = path =~ '^/simple/([^/]+)/$'
    if (m.matches() && projects[m.group(1)]) {
        type = 'text/html'
        body = ('<html><body>' + projects[m.group(1)].collect { w ->
            def rp = w.metadata ? (new String(w.metadata) =~ /Requires-Python: (.*)/) : null
            def attr = rp && rp.find() ? " data-requires-python=\"${rp.group(1).replace('>', '&gt;').replace('<', '&lt;')}\"" : ''
            "<a href=\"/files/${w.filename}#sha256=${sha(w.bytes)}\"${attr} data-core-metadata=\"sha256=${sha(w.metadata)}\">${w.filename}</a>"
        }.join('\n') + '</body></html>').bytes
    } else if (path.startsWith('/files/')) {
        def name = path.substring(7)
        def w = projects.values().flatten().find { it.filename == name || it.filename + '.metadata' == name }
        if (w) { body = name.endsWith('.metadata') ? w.metadata : w.bytes }
    }
    if (body == null) { ex.sendResponseHeaders(404, -1); ex.close(); return }
    ex.responseHeaders.add('Content-Type', type)
    ex.sendResponseHeaders(200, body.length)
    ex.responseBody.write(body)
    ex.close()
}
server.start()
context.server = server
context.requests = requests
context.wheels = projects
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text =
        "-Dpybundle.indexUrl=http://127.0.0.1:${server.address.port}/simple/\n" +
        "-Dpybundle.cacheDirectory=${new File(basedir, 'target/pybundle-cache').path}\n"
return true

// With project.build.outputTimestamp set, two builds give byte-identical archives, and every entry has that time
// (as maven-jar-plugin's MJAR-275 check does).
import java.util.zip.ZipFile
import java.time.*

['reproducible-1.0.0-pyfiles.zip', 'reproducible-1.0.0-py3-none-any.whl'].each { name ->
    def a = new File(basedir, "target/$name")
    def b = new File(basedir, "target-second/$name")
    assert a.isFile() && b.isFile() : "missing $name"
    assert a.bytes == b.bytes : "$name differs between the two builds"
    new ZipFile(a).withCloseable { z ->
        z.entries().each { e ->
            def local = LocalDateTime.ofInstant(Instant.ofEpochMilli(e.time), ZoneId.systemDefault())
            assert local == LocalDateTime.of(2024, 1, 1, 0, 0, 0) : "${e.name} has time $local"
        }
    }
}
// The spark-app archive too: built in another directory, the same bytes.
def appA = new File(basedir, 'target/reproducible-1.0.0-spark-app.tar.gz')
def appB = new File(basedir, 'target-second/reproducible-1.0.0-spark-app.tar.gz')
assert appA.isFile() && appB.isFile() : 'missing the spark-app archive'
assert appA.bytes == appB.bytes : 'the spark-app archive differs between the two builds'
// The SBOM too: the same bytes, the build's timestamp, no random serial number.
def bomA = new File(basedir, 'target/reproducible-1.0.0-bom.json')
def bomB = new File(basedir, 'target-second/reproducible-1.0.0-bom.json')
assert bomA.isFile() && bomB.isFile() : 'missing the SBOM'
assert bomA.bytes == bomB.bytes : 'the SBOM differs between the two builds'
assert new groovy.json.JsonSlurper().parse(bomA).metadata.timestamp == '2024-01-01T00:00:00Z'
return true

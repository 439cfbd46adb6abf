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
return true

package io.github.pybundle.core.spec.metadata;

import io.github.pybundle.core.archive.EntryDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a wheel's {@code RECORD}: one CSV row per file with its hash and size, and the RECORD itself last with both
 * fields empty.
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/recording-installed-packages/#the-record-file">The RECORD file</a>
 */
public final class RecordFile {
    private final List<String> rows = new ArrayList<>();

    /** Records one file. */
    public void add(String path, EntryDigest digest) {
        rows.add(csv(path) + "," + digest.recordHash() + "," + digest.size());
    }

    /** Renders the file, ending with the row for {@code recordPath} itself. */
    public byte[] toBytes(String recordPath) {
        StringBuilder sb = new StringBuilder();
        for (String row : rows) {
            sb.append(row).append('\n');
        }
        sb.append(csv(recordPath)).append(",,\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // Python's csv module (QUOTE_MINIMAL): quote a field holding the delimiter, a quote or a line break; double quotes.
    public static String csv(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}

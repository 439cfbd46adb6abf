package io.github.pybundle.core.spec.metadata;

import io.github.pybundle.core.spec.dist.DistributionFilename;
import io.github.pybundle.core.spec.metadata.EntryDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A wheel's {@code RECORD}: one CSV row per file with its hash and size, and the RECORD itself last with both fields
 * empty; built for the project wheel, read for every wheel pybundle installs.
 *
 * @see <a href="https://packaging.python.org/en/latest/specifications/recording-installed-packages/#the-record-file">The RECORD file</a>
 */
public final class RecordFile {
    /**
     * The hash algorithms a RECORD may use, by their RECORD names, with their Java names: sha256 and stronger, as the
     * wheel spec allows; md5 and sha1 are refused.
     */
    public static final Map<String, String> ALGORITHMS = Map.of("sha256", "SHA-256", "sha384", "SHA-384",
            "sha512", "SHA-512");

    private final List<String> rows = new ArrayList<>();

    /**
     * One row of a RECORD.
     *
     * @param path the file's path, as the wheel names it
     * @param algorithm the hash algorithm ({@code sha256}...), lower case; null for a row without a hash (RECORD
     *     itself and its signatures)
     * @param digest the urlsafe-base64 digest without padding; null without a hash
     * @param size the size in bytes, -1 when the row gives none
     */
    public record Row(String path, String algorithm, String digest, long size) {
        /** Whether the row lists a hash. */
        public boolean hashed() {
            return algorithm != null;
        }
    }

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

    /**
     * Reads a RECORD: path → row; of two rows for one path the later counts, as for an installer that reads them in
     * order.
     *
     * @throws InvalidRecordException on a hash of an algorithm not in {@link #ALGORITHMS} or an unreadable size
     */
    public static Map<String, Row> read(String text) {
        Map<String, Row> out = new HashMap<>();
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = fields(line);
            String path = f.get(0);
            if (f.size() >= 3 && !f.get(1).isEmpty()) {
                int eq = f.get(1).indexOf('=');
                String algorithm = eq < 0 ? "" : f.get(1).substring(0, eq).toLowerCase(Locale.ROOT);
                if (!ALGORITHMS.containsKey(algorithm)) {
                    throw new InvalidRecordException("entry '" + printable(path) + "' has a RECORD hash of an"
                            + " unsupported algorithm: " + printable(f.get(1)) + " (sha256, sha384 and sha512 are"
                            + " accepted)");
                }
                long size;
                try {
                    size = f.get(2).isEmpty() ? -1 : Long.parseLong(f.get(2).strip());
                } catch (NumberFormatException ex) {
                    throw new InvalidRecordException("entry '" + printable(path) + "' has an unreadable size in"
                            + " RECORD: '" + printable(f.get(2)) + "'");
                }
                out.put(path, new Row(path, algorithm, f.get(1).substring(eq + 1), size));
            } else {
                out.put(path, new Row(path, null, null, -1));
            }
        }
        return out;
    }

    private static String printable(String text) {
        return DistributionFilename.printable(text);
    }

    // Python's csv module (QUOTE_MINIMAL): quote a field holding the delimiter, a quote or a line break; double quotes.
    public static String csv(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    // One line of a CSV file as Python's csv module writes it (the inverse of csv()).
    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}

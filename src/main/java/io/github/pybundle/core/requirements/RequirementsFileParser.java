package io.github.pybundle.core.requirements;

import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep508.InvalidRequirementException;
import io.github.pybundle.core.spec.pep508.Requirement;
import io.github.pybundle.core.spec.text.PyText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads pip's requirements file format: one requirement per line, {@code #} comments, {@code \} continuation lines,
 * {@code ${VAR}} environment variables, nested {@code -r}/{@code -c} files (relative to the including file), index
 * options, and per-requirement {@code --hash}. Editable and VCS requirements are refused with an explanation.
 *
 * @see <a href="https://pip.pypa.io/en/stable/reference/requirements-file-format/">Requirements file format</a>
 */
public final class RequirementsFileParser {
    private static final Pattern COMMENT = Pattern.compile("(^|\\s+)#.*$");
    private static final Pattern ENV_VAR = Pattern.compile("\\$\\{([A-Z0-9_]+)\\}");
    private static final Pattern HASH = Pattern.compile("([A-Za-z0-9_-]+):(\\S+)");
    private static final java.util.Set<String> WEAK = java.util.Set.of("md5", "sha1", "sha224");
    // Where the per-requirement options start: the first word that begins with '-'.
    private static final Pattern OPTION_START = Pattern.compile("(?<=^|\\s)-");

    private final Map<String, String> environment;
    private final Deque<Path> including = new ArrayDeque<>();

    /** @param environment the variables {@code ${VAR}} expands from (normally {@code System.getenv()}) */
    public RequirementsFileParser(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * Reads {@code file} and everything it includes.
     *
     * @throws InvalidRequirementsFileException naming file and line on any malformed or unsupported line
     */
    public RequirementsFile parse(Path file) throws IOException {
        RequirementsFile result = new RequirementsFile();
        read(file.toAbsolutePath().normalize(), false, result, null);
        return result;
    }

    private void read(Path file, boolean constraint, RequirementsFile out, String includedFrom) throws IOException {
        if (including.contains(file)) {
            throw new InvalidRequirementsFileException(includedFrom, "including " + file + " again makes a cycle: "
                    + including, "remove one of the -r/-c lines");
        }
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidRequirementsFileException(includedFrom == null ? file.toString() : includedFrom,
                    "the requirements file " + file + " does not exist",
                    "check the path; -r and -c paths are relative to the file that names them");
        }
        including.push(file);
        try {
            for (Line line : logicalLines(content)) {
                String where = file + ":" + line.number;
                String text = expand(line.text);
                parseLine(file, where, text, constraint, out);
            }
        } finally {
            including.pop();
        }
    }

    private record Line(int number, String text) {
    }

    // Joins continuation lines (a trailing backslash), then drops comments and blank lines, as pip does.
    private static List<Line> logicalLines(String content) {
        List<Line> joined = new ArrayList<>();
        String[] lines = content.split("\r\n|\n|\r", -1);
        StringBuilder pending = null;
        int first = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean comment = COMMENT.matcher(line).lookingAt() && line.strip().startsWith("#");
            if (!line.endsWith("\\") || comment) {
                if (comment) {
                    line = " " + line;
                }
                if (pending != null) {
                    joined.add(new Line(first, pending.append(line).toString()));
                    pending = null;
                } else {
                    joined.add(new Line(i + 1, line));
                }
            } else {
                if (pending == null) {
                    pending = new StringBuilder();
                    first = i + 1;
                }
                pending.append(line.replaceAll("^\\\\+|\\\\+$", ""));
            }
        }
        if (pending != null) {
            joined.add(new Line(first, pending.toString()));
        }
        List<Line> out = new ArrayList<>();
        for (Line l : joined) {
            String text = PyText.strip(COMMENT.matcher(l.text).replaceAll(""));
            if (!text.isEmpty()) {
                out.add(new Line(l.number, text));
            }
        }
        return out;
    }

    private String expand(String text) {
        Matcher m = ENV_VAR.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = environment.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        return m.appendTail(sb).toString();
    }

    private void parseLine(Path file, String where, String text, boolean constraint, RequirementsFile out)
            throws IOException {
        if (text.startsWith("-")) {
            parseOption(file, where, tokens(where, text), constraint, out);
            return;
        }
        DeclaredRequirement declared = declared(where, text);
        (constraint ? out.constraints : out.requirements).add(declared);
    }

    /**
     * A requirement with its per-requirement options, as one line of a requirements file or one pom entry gives it:
     * the requirement runs up to the first word that starts with {@code -}; the rest may only be {@code --hash}
     * options ({@code --hash=sha256:<hex>} or {@code --hash sha256:<hex>}, any number).
     *
     * @param where the location, for messages
     * @throws InvalidRequirementsFileException naming {@code where} on a bad requirement, option or hash
     */
    static DeclaredRequirement declared(String where, String text) {
        Matcher start = OPTION_START.matcher(text);
        int cut = start.find() ? start.start() : text.length();
        String requirement = PyText.strip(text.substring(0, cut));
        List<String> options = tokens(where, text.substring(cut));
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            String opt = options.get(i);
            String value;
            if (opt.startsWith("--hash=")) {
                value = opt.substring("--hash=".length());
            } else if (opt.equals("--hash") && i + 1 < options.size()) {
                value = options.get(++i);
            } else {
                throw new InvalidRequirementsFileException(where, "the option " + opt
                        + " is not supported after a requirement", "only --hash=sha256:... may follow a requirement");
            }
            String hash = hash(where, value);
            if (!hashes.contains(hash)) {
                hashes.add(hash);
            }
        }
        return new DeclaredRequirement(requirement(where, requirement), where, hashes);
    }

    // pip's hash-checking mode accepts these only (pip's STRONG_HASHES); md5 and sha1 are refused as too weak.
    private static String hash(String where, String value) {
        Matcher m = HASH.matcher(value);
        if (!m.matches()) {
            throw new InvalidRequirementsFileException(where, "'" + value + "' is not a valid --hash value",
                    "write --hash=sha256:<64 hex digits> (sha384 and sha512 are accepted too)");
        }
        String algorithm = m.group(1).toLowerCase(java.util.Locale.ROOT);
        String digest = m.group(2).toLowerCase(java.util.Locale.ROOT);
        Integer length = HashPolicy.ALGORITHMS.get(algorithm);
        if (length == null) {
            throw new InvalidRequirementsFileException(where, "--hash=" + value + ": " + algorithm + " hashes are not"
                    + " accepted (" + (WEAK.contains(algorithm) ? algorithm + " is too weak to protect a download; "
                    : "") + "allowed: sha256, sha384, sha512, as in pip)", "use the file's sha256: pip hash FILE,"
                    + " sha256sum FILE, or the digest the index lists for it");
        }
        if (!digest.matches("[0-9a-f]+") || digest.length() != length) {
            throw new InvalidRequirementsFileException(where, "'" + value + "' is not a valid --hash value: a "
                    + algorithm + " digest is " + length + " hex digits, not " + (digest.matches("[0-9a-f]+")
                    ? digest.length() + "" : "'" + m.group(2) + "'"),
                    "write --hash=" + algorithm + ":<" + length + " hex digits>");
        }
        return algorithm + ":" + digest;
    }

    static Requirement requirement(String where, String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (lower.matches("^(git|hg|svn|bzr)\\+.*") || lower.matches(".*@\\s*(git|hg|svn|bzr)\\+.*")) {
            throw new InvalidRequirementsFileException(where, "'" + text + "' is a version-control requirement,"
                    + " which pybundle does not support", "build a wheel of it and name it as 'name @ file:///path/"
                    + "to/name-1.0-py3-none-any.whl', or publish it to your package index");
        }
        if (!lower.contains("@") && (text.contains("/") || text.contains("\\") || lower.endsWith(".whl")
                || lower.endsWith(".tar.gz") || lower.endsWith(".zip") || text.startsWith("."))) {
            throw new InvalidRequirementsFileException(where, "'" + text + "' is a path or URL without a project name",
                    "write it as 'name @ https://...' or 'name @ file:///...'");
        }
        try {
            return Requirement.parse(text);
        } catch (InvalidRequirementException e) {
            throw new InvalidRequirementsFileException(where, "'" + text + "' is not a valid requirement: "
                    + e.getMessage(), "a requirement looks like: name[extra] >=1.0,<2 ; python_version >= \"3.8\"");
        }
    }

    private void parseOption(Path file, String where, List<String> tokens, boolean constraint, RequirementsFile out)
            throws IOException {
        for (int i = 0; i < tokens.size(); i++) {
            String tok = tokens.get(i);
            String name = tok;
            String value = null;
            int eq = tok.indexOf('=');
            if (tok.startsWith("--") && eq > 0) {
                name = tok.substring(0, eq);
                value = tok.substring(eq + 1);
            } else if (!tok.startsWith("--") && tok.length() > 2 && "rcif".indexOf(tok.charAt(1)) >= 0) {
                name = tok.substring(0, 2); // -rfile, -ihttps://...
                value = tok.substring(2);
            }
            switch (name) {
                case "-r", "--requirement", "-c", "--constraint" -> {
                    value = value != null ? value : argument(where, tokens, ++i, name);
                    Path included = file.getParent().resolve(value).normalize();
                    read(included, constraint || name.equals("-c") || name.equals("--constraint"), out, where);
                }
                case "-i", "--index-url" -> out.indexUrl = value != null ? value : argument(where, tokens, ++i, name);
                case "--extra-index-url" -> out.extraIndexUrls.add(value != null ? value
                        : argument(where, tokens, ++i, name));
                case "-f", "--find-links" -> {
                    String link = value != null ? value : argument(where, tokens, ++i, name);
                    out.findLinks.add(isUrl(link) ? link : file.getParent().resolve(link).normalize().toString());
                }
                case "--no-index" -> out.noIndex = true;
                case "--pre" -> out.pre = true;
                case "--only-binary", "--no-binary" -> {
                    String names = value != null ? value : argument(where, tokens, ++i, name);
                    for (String n : names.split(",")) {
                        String v = n.strip();
                        if (!v.isEmpty()) {
                            (name.equals("--only-binary") ? out.onlyBinary : out.noBinary)
                                    .add(v.startsWith(":") ? v : ProjectName.normalize(v));
                        }
                    }
                }
                case "--prefer-binary" -> out.warnings.add(where + ": " + name
                        + " is implied: pybundle uses wheels only");
                case "--require-hashes" -> {
                    if (out.requireHashes == null) {
                        out.requireHashes = where;
                    }
                }
                case "--trusted-host" -> {
                    if (value == null) {
                        argument(where, tokens, ++i, name);
                    }
                    out.warnings.add(where + ": --trusted-host is ignored; use {@allowInsecureIndex} in {%project}");
                }
                case "-e", "--editable" -> throw new InvalidRequirementsFileException(where,
                        "editable requirements (" + name + ") are not supported: a cluster bundle cannot point at a"
                                + " source checkout", "build the project as a wheel (pybundle:wheel) and depend on"
                                + " that, or list its own requirements instead");
                default -> throw new InvalidRequirementsFileException(where, "unknown or unsupported option '" + tok
                        + "'", "supported: -r, -c, -i/--index-url, --extra-index-url, -f/--find-links, --no-index,"
                        + " --pre, --only-binary, --no-binary, --require-hashes, --hash");
            }
        }
    }

    private static String argument(String where, List<String> tokens, int i, String option) {
        if (i >= tokens.size()) {
            throw new InvalidRequirementsFileException(where, option + " needs a value", "write e.g. " + option
                    + " <value> on the same line");
        }
        return tokens.get(i);
    }

    // A shell-like split: whitespace separates words; single and double quotes group.
    private static List<String> tokens(String where, String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                cur = cur == null ? new StringBuilder() : cur;
            } else if (Character.isWhitespace(c)) {
                if (cur != null) {
                    out.add(cur.toString());
                    cur = null;
                }
            } else {
                cur = cur == null ? new StringBuilder() : cur;
                cur.append(c);
            }
        }
        if (quote != 0) {
            throw new InvalidRequirementsFileException(where, "unterminated quote in '" + text + "'",
                    "close the quote");
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Whether a find-links or index value is a URL rather than a path. */
    static boolean isUrl(String s) {
        return s.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    }
}

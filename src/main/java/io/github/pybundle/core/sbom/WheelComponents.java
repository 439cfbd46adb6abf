package io.github.pybundle.core.sbom;

import io.github.pybundle.core.cache.FileCache;
import io.github.pybundle.core.spec.dist.Digests;
import io.github.pybundle.core.spec.metadata.CoreMetadataFile;
import io.github.pybundle.core.wheel.WheelSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The SBOM components of wheels: name and version from {@code METADATA}, a {@code pkg:pypi} purl, the wheel file's
 * SHA-256, the declared licence, and references to the SBOMs the wheel ships (PEP 770).
 *
 * <p>The licence is taken from the first of these that is present: {@code License-Expression} (PEP 639) as a
 * CycloneDX licence expression; a {@code License} field of one short line as a licence name; the
 * {@code License :: ...} classifiers, each as a licence name (the last part: {@code MIT License}); a longer
 * {@code License} field (often the whole licence) as a licence named by its first line, with the text attached.
 * {@code UNKNOWN}, which old setuptools wrote for "not given", counts as absent.
 *
 * <p>A PEP 770 SBOM (any file under {@code {name}-{version}.dist-info/sboms/}) becomes an external reference of
 * type {@code bom}, with its SHA-256, whose URL is its path inside the wheel (a relative IRI reference) and whose
 * comment names the wheel. {@code bom} is the reference type CycloneDX defines for "another BOM describing this
 * component": CycloneDX consumers (Dependency-Track, cyclonedx-cli, the CycloneDX libraries) read, keep and show
 * external references by type, whereas a custom property would be opaque text to them. The hash lets a consumer
 * check the file it extracts from the wheel.
 *
 * @see <a href="https://peps.python.org/pep-0639/">PEP 639</a>
 * @see <a href="https://peps.python.org/pep-0770/">PEP 770</a>
 */
public final class WheelComponents {
    /** The property naming the wheel file a component was read from. */
    public static final String WHEEL_PROPERTY = "pybundle:wheel";
    /** License fields up to this length, on one line, are a licence name; longer ones are licence text. */
    static final int SHORT_LICENSE = 100;

    private WheelComponents() {
    }

    /** The components of {@code wheels}, in the order given. */
    // A cached wheel's digest is its place in the cache, which checked it when it handed it out; others are hashed.
    private static String sha256(Path wheel) throws IOException {
        String named = FileCache.sha256Named(wheel);
        return named != null ? named : Digests.sha256Hex(wheel);
    }

    public static List<Component> of(List<Path> wheels) throws IOException {
        List<Component> out = new ArrayList<>();
        for (Path w : wheels) {
            out.add(of(w));
        }
        return out;
    }

    /** The component of one wheel file. */
    public static Component of(Path wheel) throws IOException {
        String file = wheel.getFileName().toString();
        CoreMetadataFile m = CoreMetadataFile.parse(WheelSource.readMetadata(wheel), file + "!METADATA");
        String version = m.version().toString();
        return new Component(Component.Type.LIBRARY, null, m.name(), version, Purl.pypi(m.name(), version),
                sha256(wheel), licenses(m), sboms(wheel), List.of(new Component.Property(WHEEL_PROPERTY,
                file)));
    }

    /** The declared licences of a distribution (see the class description for the order of preference). */
    public static List<Component.License> licenses(CoreMetadataFile m) {
        String expression = m.licenseExpression();
        if (expression != null) {
            return List.of(Component.License.expression(expression));
        }
        String text = m.license();
        if (text != null && text.equalsIgnoreCase("UNKNOWN")) {
            text = null;
        }
        if (text != null && text.indexOf('\n') < 0 && text.length() <= SHORT_LICENSE) {
            return List.of(Component.License.named(text));
        }
        Set<String> names = new LinkedHashSet<>();
        for (String c : m.classifiers()) {
            String[] parts = c.split("\\s*::\\s*");
            if (parts.length >= 2 && parts[0].strip().equals("License")
                    && !(parts.length == 2 && parts[1].strip().equals("OSI Approved"))) {
                names.add(parts[parts.length - 1].strip());
            }
        }
        if (!names.isEmpty()) {
            return names.stream().map(Component.License::named).toList();
        }
        if (text != null) {
            String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse(text).strip();
            return List.of(Component.License.named(first.length() <= SHORT_LICENSE ? first
                    : first.substring(0, SHORT_LICENSE - 3) + "...", text));
        }
        return List.of();
    }

    /** References to the PEP 770 SBOMs inside a wheel, by path. */
    static List<Component.Reference> sboms(Path wheel) throws IOException {
        String file = wheel.getFileName().toString();
        String prefix = file.substring(0, Math.max(file.indexOf('-'), 0)).toLowerCase(Locale.ROOT) + "-";
        List<Component.Reference> out = new ArrayList<>();
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                String n = e.getName();
                int slash = n.indexOf('/');
                if (e.isDirectory() || slash < 0) {
                    continue;
                }
                String dir = n.substring(0, slash);
                if (dir.endsWith(".dist-info") && dir.toLowerCase(Locale.ROOT).startsWith(prefix)
                        && n.startsWith(dir + "/sboms/") && n.length() > dir.length() + "/sboms/".length()) {
                    out.add(new Component.Reference("bom", iri(n), "PEP 770 SBOM inside " + file + ": " + n,
                            sha256(zip, e)));
                }
            }
        }
        out.sort(Comparator.comparing(Component.Reference::url));
        return out;
    }

    // Read on a thread of its own while the bundle is assembled, possibly before a Maven dependency's wheel was
    // checked: bounded by the entry's declared size (which the checks then hold it to), and stopped when the build is.
    private static String sha256(ZipFile zip, ZipEntry e) throws IOException {
        MessageDigest sha = Digests.sha256();
        long read = 0;
        try (InputStream in = zip.getInputStream(e)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                read += n;
                if (read > Math.max(e.getSize(), 0) || Thread.currentThread().isInterrupted()) {
                    throw new IOException(zip.getName() + "!" + e.getName() + ": "
                            + (Thread.currentThread().isInterrupted() ? "interrupted" : "more bytes than its zip"
                            + " header declares"));
                }
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    // A path as a relative IRI reference: unreserved characters, '/' and the sub-delimiters stay, the rest is
    // percent-encoded (UTF-8).
    static String iri(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~/!$&'()*+,;=@".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}

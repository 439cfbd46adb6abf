package io.github.pybundle.core.net;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * The certificates of a PEM bundle (pip's {@code cert}) as TLS trust anchors, each parsed only when a server presents
 * a chain it may anchor. Parsing the hundred and fifty certificates of a system bundle takes a quarter of a second in a
 * JVM that has just started, before the first request to an HTTPS index can leave; reading the bundle's blocks and
 * their subject names takes a few milliseconds.
 *
 * <p>The decision is the JDK's: each chain is checked by the JDK's PKIX trust manager (path building, signatures,
 * validity, algorithm constraints, the host name), given as anchors the bundle's certificates whose subject is the
 * subject or the issuer of a certificate in the chain, the only ones a certification path built from that chain can
 * end at (the JDK selects anchors by name, {@link X500Principal#equals}; key identifiers only order them). They are
 * found by the exact encoding of the names first; when the check fails with those, it is made again with every
 * certificate whose subject is the same name after canonicalisation (RFC 5280's comparison, which
 * {@link X500Principal#equals} makes). So a chain is accepted only with a valid PKIX path to a certificate of the
 * bundle, and refused only when the whole bundle would refuse it too. With the JDK's fetching of missing
 * intermediates on ({@code com.sun.security.enableAIAcaIssuers}), a path may end at a certificate the chain does not
 * name: then every certificate of the bundle is an anchor, parsed on the first handshake.
 *
 * <p>A bundle that is not a plain series of {@code CERTIFICATE} blocks (other PEM blocks, DER, PKCS#7, damaged base64
 * or DER) is not handled here ({@link #read} returns null): the caller parses it whole, which reports what is wrong.
 */
final class PemTrust extends X509ExtendedTrustManager {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private final String source; // the bundle, for messages
    private final List<byte[]> blocks; // the DER of each certificate, in the bundle's order
    private final Map<Name, BitSet> bySubject; // the exact encoding of a subject → the blocks with it
    private volatile Map<String, BitSet> byCanonicalSubject; // made when the exact names are not enough
    private final X509Certificate[] parsed;
    private final Map<BitSet, X509ExtendedTrustManager> checkers = new ConcurrentHashMap<>();

    private final Map<Integer, String> unparseable = new ConcurrentHashMap<>(); // block → why, once tried

    private PemTrust(String source, List<byte[]> blocks, Map<Name, BitSet> bySubject) {
        this.source = source;
        this.blocks = blocks;
        this.bySubject = bySubject;
        this.parsed = new X509Certificate[blocks.size()];
    }

    /**
     * The bundle's certificates, found by subject, or null when {@code pem} is not a series of {@code CERTIFICATE}
     * blocks whose subject names can be read (then it is for the JDK's parser to read or reject).
     */
    static PemTrust read(byte[] pem, String source) {
        String text = new String(pem, StandardCharsets.ISO_8859_1);
        List<byte[]> blocks = new ArrayList<>();
        Map<Name, BitSet> bySubject = new HashMap<>();
        int at = 0;
        while (true) {
            int dashes = text.indexOf("-----", at);
            if (dashes < 0) {
                break;
            }
            if (!text.startsWith(BEGIN, dashes)) {
                return null; // another kind of block, or a damaged one
            }
            int end = text.indexOf(END, dashes + BEGIN.length());
            if (end < 0) {
                return null;
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(text.substring(dashes + BEGIN.length(), end));
            } catch (IllegalArgumentException e) {
                return null;
            }
            byte[] subject = subjectOf(der);
            if (subject == null) {
                return null;
            }
            bySubject.computeIfAbsent(new Name(subject), k -> new BitSet()).set(blocks.size());
            blocks.add(der);
            at = end + END.length();
        }
        return blocks.isEmpty() ? null : new PemTrust(source, blocks, bySubject);
    }

    /** How many certificates the bundle holds. */
    int size() {
        return blocks.size();
    }

    /** How many of them were parsed so far. */
    int parsedCount() {
        synchronized (parsed) {
            return (int) Arrays.stream(parsed).filter(c -> c != null).count();
        }
    }

    // The encoded subject name of a DER certificate, or null when it is not laid out as one:
    // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer,
    // validity, subject, ... }, ... } (RFC 5280, 4.1).
    static byte[] subjectOf(byte[] der) {
        try {
            int[] certificate = element(der, 0, der.length);
            if (certificate[0] != 0x30 || certificate[2] != der.length) {
                return null;
            }
            int end = certificate[2];
            int[] tbs = element(der, certificate[1], end);
            if (tbs[0] != 0x30) {
                return null;
            }
            int at = tbs[1];
            int tbsEnd = tbs[2];
            int[] e = element(der, at, tbsEnd);
            if (e[0] == 0xa0) { // the explicit version
                at = e[2];
            }
            for (int skipped = 0; skipped < 4; skipped++) { // serialNumber, signature, issuer, validity
                at = element(der, at, tbsEnd)[2];
            }
            int[] subject = element(der, at, tbsEnd);
            return subject[0] == 0x30 ? Arrays.copyOfRange(der, at, subject[2]) : null;
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return null;
        }
    }

    // One DER element at {@code at} that must end by {@code limit}: its tag, where its content starts, where it ends.
    private static int[] element(byte[] der, int at, int limit) {
        int tag = der[at] & 0xff;
        int first = der[at + 1] & 0xff;
        int start = at + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 4) {
                throw new IllegalArgumentException("unsupported length");
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = length << 8 | (der[start + i] & 0xff);
            }
            start += n;
        }
        if (start + length > limit) {
            throw new IllegalArgumentException("element overruns its parent");
        }
        return new int[] {tag, start, (int) (start + length)};
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, m -> m.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, m -> m.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, m -> m.checkServerTrusted(chain, authType));
    }

    // This side is a client: whoever asks about clients gets the JDK's answer for the whole bundle.
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checker(all()).checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checker(all()).checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checker(all()).checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        BitSet all = all();
        try {
            return certificates(all).toArray(X509Certificate[]::new);
        } catch (CertificateException e) {
            return new X509Certificate[0];
        }
    }

    private interface Check {
        void run(X509ExtendedTrustManager m) throws CertificateException;
    }

    private void check(X509Certificate[] chain, Check check) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new IllegalArgumentException("the server sent no certificate");
        }
        if (Boolean.getBoolean("com.sun.security.enableAIAcaIssuers")) {
            checked(all(), check);
            return;
        }
        BitSet exact = new BitSet();
        for (X509Certificate c : chain) {
            for (X500Principal p : List.of(c.getSubjectX500Principal(), c.getIssuerX500Principal())) {
                BitSet found = bySubject.get(new Name(p.getEncoded()));
                if (found != null) {
                    exact.or(found);
                }
            }
        }
        CertificateException refused = null;
        if (!exact.isEmpty()) {
            try {
                checked(exact, check);
                return;
            } catch (CertificateException e) {
                refused = e; // the same names may be written differently: tried again with every equal name below
            }
        }
        BitSet canonical = new BitSet();
        Map<String, BitSet> index = canonicalIndex();
        for (X509Certificate c : chain) {
            for (X500Principal p : List.of(c.getSubjectX500Principal(), c.getIssuerX500Principal())) {
                BitSet found = index.get(p.getName(X500Principal.CANONICAL));
                if (found != null) {
                    canonical.or(found);
                }
            }
        }
        if (canonical.isEmpty()) {
            throw new CertificateException("unable to find valid certification path to requested target: no"
                    + " certificate of the CA bundle issued the server's certificate chain (its top certificate is"
                    + " issued by " + chain[chain.length - 1].getIssuerX500Principal().getName() + ")");
        }
        if (refused != null && canonical.equals(exact)) {
            throw refused;
        }
        checked(canonical, check);
    }

    // The check over these anchors; a refusal also names those of them that cannot be parsed.
    private void checked(BitSet anchors, Check check) throws CertificateException {
        try {
            check.run(checker(anchors));
        } catch (CertificateException e) {
            String broken = unparseableAmong(anchors);
            if (broken == null || String.valueOf(e.getMessage()).contains(broken)) {
                throw e;
            }
            throw new CertificateException(e.getMessage() + "; " + broken, e);
        }
    }

    private String unparseableAmong(BitSet anchors) {
        for (int i = anchors.nextSetBit(0); i >= 0; i = anchors.nextSetBit(i + 1)) {
            String why = unparseable.get(i);
            if (why != null) {
                return "certificate #" + (i + 1) + " of the CA bundle " + source + ", which the chain names, cannot"
                        + " be parsed (" + why + ")";
            }
        }
        return null;
    }

    private Map<String, BitSet> canonicalIndex() {
        Map<String, BitSet> index = byCanonicalSubject;
        if (index == null) {
            index = new HashMap<>();
            for (Map.Entry<Name, BitSet> e : bySubject.entrySet()) {
                String canonical;
                try {
                    canonical = new X500Principal(e.getKey().der()).getName(X500Principal.CANONICAL);
                } catch (IllegalArgumentException bad) {
                    continue; // a name the JDK cannot read anchors nothing
                }
                index.computeIfAbsent(canonical, k -> new BitSet()).or(e.getValue());
            }
            byCanonicalSubject = index;
        }
        return index;
    }

    private BitSet all() {
        BitSet all = new BitSet();
        all.set(0, blocks.size());
        return all;
    }

    // The JDK's trust manager with these certificates as its anchors.
    private X509ExtendedTrustManager checker(BitSet anchors) throws CertificateException {
        X509ExtendedTrustManager m = checkers.get(anchors);
        if (m != null) {
            return m;
        }
        List<X509Certificate> parsedAnchors = certificates(anchors);
        if (parsedAnchors.isEmpty()) {
            throw new CertificateException("unable to find valid certification path to requested target: "
                    + unparseableAmong(anchors));
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (X509Certificate c : parsedAnchors) {
                ks.setCertificateEntry("ca-" + ks.size(), c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager t : tmf.getTrustManagers()) {
                if (t instanceof X509ExtendedTrustManager x) {
                    checkers.put((BitSet) anchors.clone(), x);
                    return x;
                }
            }
            throw new CertificateException("the JDK offers no X.509 trust manager");
        } catch (CertificateException e) {
            throw e;
        } catch (Exception e) {
            throw new CertificateException("cannot use the CA bundle's certificates: " + e.getMessage(), e);
        }
    }

    // The certificates of these blocks that parse; those that do not are remembered, with why, and left out.
    private List<X509Certificate> certificates(BitSet which) throws CertificateException {
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory factory = null;
        synchronized (parsed) {
            for (int i = which.nextSetBit(0); i >= 0; i = which.nextSetBit(i + 1)) {
                if (parsed[i] == null && !unparseable.containsKey(i)) {
                    if (factory == null) {
                        factory = CertificateFactory.getInstance("X.509");
                    }
                    try {
                        parsed[i] = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(
                                blocks.get(i)));
                    } catch (CertificateException | RuntimeException e) {
                        unparseable.put(i, String.valueOf(e.getMessage()));
                    }
                }
                if (parsed[i] != null) {
                    out.add(parsed[i]);
                }
            }
        }
        return out;
    }

    /** A name's exact DER encoding, as a map key. */
    private record Name(byte[] der) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Name n && Arrays.equals(der, n.der);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(der);
        }
    }
}

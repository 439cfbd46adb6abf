package io.github.pybundle.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.pybundle.core.event.BuildListener;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CA bundle read lazily trusts exactly the chains the JDK trusts with the whole bundle, and parses only the
 * certificates a chain may end at. Every chain here is also checked by the JDK's trust manager over the whole bundle,
 * as the oracle.
 */
class PemTrustTest {
    private static final AtomicLong SERIAL = new AtomicLong(1);
    @TempDir
    Path dir;
    private HttpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A key and its certificate. */
    record Issued(KeyPair key, X509Certificate cert) {
    }

    private static KeyPair key() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X500Name name(String cn, ASN1Encodable value) {
        return new X500Name(new RDN[] {new RDN(BCStyle.O, new DERUTF8String("pybundle tests")),
                new RDN(BCStyle.CN, value == null ? new DERUTF8String(cn) : value)});
    }

    private static X500Name name(String cn) {
        return name(cn, null);
    }

    /** A certificate for {@code subject}'s key, signed by {@code issuer} (self-signed when null). */
    private static Issued issue(X500Name subject, Issued issuer, X500Name issuerName, boolean ca, String ip)
            throws Exception {
        KeyPair key = key();
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer == null ? subject : issuerName,
                BigInteger.valueOf(SERIAL.getAndIncrement()), new Date(now - 60_000), new Date(now + 86_400_000L),
                subject, key.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature));
        if (ip != null) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                    GeneralName.iPAddress, ip)));
        }
        KeyPair signer = issuer == null ? key : issuer.key();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        return new Issued(key, cert);
    }

    private static Issued root(String cn) throws Exception {
        return issue(name(cn), null, null, true, null);
    }

    private static Issued signedBy(Issued issuer, String cn, boolean ca, String ip) throws Exception {
        return issue(name(cn), issuer, X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()), ca,
                ip);
    }

    private static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    /** A bundle as system bundles are: a comment before each certificate, and forty unrelated roots around. */
    private Path bundle(X509Certificate... trusted) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            text.append("# Unrelated Root ").append(i).append('\n').append(pem(root("Unrelated Root " + i).cert()));
        }
        for (X509Certificate c : trusted) {
            text.append("# ").append(c.getSubjectX500Principal().getName()).append('\n').append(pem(c));
        }
        for (int i = 20; i < 40; i++) {
            text.append(pem(root("Unrelated Root " + i).cert()));
        }
        Path f = Files.createTempFile(dir, "ca", ".pem");
        Files.writeString(f, text);
        return f;
    }

    /** Serves "ok" over TLS on loopback with this chain (leaf first). */
    private URI serve(Issued leaf, X509Certificate... rest) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        X509Certificate[] chain = new X509Certificate[rest.length + 1];
        chain[0] = leaf.cert();
        System.arraycopy(rest, 0, chain, 1, rest.length);
        ks.setKeyEntry("server", leaf.key().getPrivate(), "pw".toCharArray(), chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/", ex -> {
            byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/simple/");
    }

    /** Whether a GET of {@code uri} trusting these managers succeeds (false: the handshake refused the chain). */
    private static boolean trusts(URI uri, TrustManager manager) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {manager}, null);
        HttpsURLConnection c = (HttpsURLConnection) uri.toURL().openConnection(java.net.Proxy.NO_PROXY);
        c.setSSLSocketFactory(ctx.getSocketFactory());
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        try {
            return c.getResponseCode() == 200 && new String(c.getInputStream().readAllBytes(),
                    StandardCharsets.US_ASCII).equals("ok");
        } catch (SSLException e) {
            return false;
        } finally {
            c.disconnect();
        }
    }

    /** The JDK's own answer: its trust manager over every certificate of the bundle, parsed up front. */
    private static TrustManager wholeBundle(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (var in = Files.newInputStream(pem)) {
            int i = 0;
            for (var c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers()[0];
    }

    private PemTrust lazy(Path pem) throws IOException {
        PemTrust t = PemTrust.read(Files.readAllBytes(pem), pem.toString());
        assertNotNull(t, "a bundle of CERTIFICATE blocks is read lazily");
        return t;
    }

    @Test
    void aChainThroughAnIntermediateIsTrustedParsingOnlyItsRoot() throws Exception {
        Issued root = root("Root A");
        Issued intermediate = signedBy(root, "Intermediate A1", true, null);
        URI uri = serve(signedBy(intermediate, "server", false, "127.0.0.1"), intermediate.cert());
        Path pem = bundle(root("Root B").cert(), root.cert());
        PemTrust trust = lazy(pem);

        assertEquals(42, trust.size());
        assertTrue(trusts(uri, trust));
        assertTrue(trusts(uri, wholeBundle(pem)));
        assertEquals(1, trust.parsedCount(), "only the root the chain names is parsed");
    }

    @Test
    void aChainFromAnotherRootIsRefusedAsTheJdkRefusesIt() throws Exception {
        Issued stranger = root("Root A"); // the same name as the trusted root, another key
        URI uri = serve(signedBy(stranger, "server", false, "127.0.0.1"));
        Path pem = bundle(root("Root A").cert());

        assertEquals(false, trusts(uri, wholeBundle(pem)));
        assertEquals(false, trusts(uri, lazy(pem)), "a root of the same name but another key signs nothing here");
    }

    @Test
    void aChainNoCertificateOfTheBundleIssuedIsRefused() throws Exception {
        URI uri = serve(signedBy(root("Root Z"), "server", false, "127.0.0.1"));
        Path pem = bundle(root("Root A").cert());
        PemTrust trust = lazy(pem);

        assertEquals(false, trusts(uri, wholeBundle(pem)));
        assertEquals(false, trusts(uri, trust));
        assertEquals(0, trust.parsedCount());
    }

    @Test
    void theHostNameIsStillChecked() throws Exception {
        Issued root = root("Root A");
        URI uri = serve(signedBy(root, "server", false, "10.9.8.7")); // a certificate for another address
        Path pem = bundle(root.cert());

        assertEquals(false, trusts(uri, wholeBundle(pem)));
        assertEquals(false, trusts(uri, lazy(pem)));
    }

    @Test
    void aTrustedServerCertificateItselfIsEnough() throws Exception {
        Issued self = issue(name("self"), null, null, false, "127.0.0.1");
        URI uri = serve(self);
        Path pem = bundle(self.cert());

        assertEquals(trusts(uri, wholeBundle(pem)), trusts(uri, lazy(pem)));
        assertTrue(trusts(uri, lazy(pem)));
    }

    @Test
    void aNameWrittenWithAnotherStringTypeStillFindsItsRoot() throws Exception {
        // The root's own subject is a UTF8String; the server certificate names its issuer with a PrintableString:
        // the same name for RFC 5280 (and the JDK), other bytes.
        Issued root = issue(name("Root P", new DERUTF8String("Root P")), null, null, true, null);
        Issued leaf = issue(name("server"), root, name("Root P", new DERPrintableString("Root P")), false,
                "127.0.0.1");
        URI uri = serve(leaf);
        Path pem = bundle(root.cert());
        PemTrust trust = lazy(pem);

        boolean jdk = trusts(uri, wholeBundle(pem));
        assertEquals(jdk, trusts(uri, trust), "the same answer as the JDK's over the whole bundle");
        assertTrue(jdk);
        assertEquals(1, trust.parsedCount());
    }

    @Test
    void theFetcherUsesTheBundleLazily() throws Exception {
        Issued root = root("Root A");
        URI uri = serve(signedBy(root, "server", false, "127.0.0.1"));
        Path pem = bundle(root.cert());
        HttpFetcher.prepareTls(settings(pem)); // as a build does on another thread before its first request
        HttpFetcher http = new HttpFetcher(settings(pem), BuildListener.silent());

        HttpFetcher.Response r = http.get(uri, null, Map.of());

        assertEquals(200, r.status());
        assertEquals("ok", new String(r.body(), StandardCharsets.US_ASCII));
        Path other = bundle(root("Root B").cert());
        FetchException refused = assertThrows(FetchException.class, () -> new HttpFetcher(settings(other),
                BuildListener.silent()).get(uri, null, Map.of()));
        assertTrue(refused.getMessage().contains("certification path"), refused.getMessage());
        assertTrue(refused.hints().stream().anyMatch(h -> h.startsWith("the server's certificate is not trusted by the"
                + " CA bundle " + other)), refused.hints().toString());
    }

    @Test
    void whatIsNotAPlainSeriesOfCertificatesIsLeftToTheJdksParser() throws Exception {
        String good = pem(root("Root A").cert());
        assertNotNull(PemTrust.read(good.getBytes(StandardCharsets.US_ASCII), "test.pem"));
        assertNull(PemTrust.read(new byte[0], "empty.pem"), "no certificate at all");
        assertNull(PemTrust.read(("-----BEGIN TRUSTED CERTIFICATE-----\nAAAA\n-----END TRUSTED CERTIFICATE-----\n"
                + good).getBytes(StandardCharsets.US_ASCII), "test.pem"), "another kind of block");
        assertNull(PemTrust.read(good.replace("-----END CERTIFICATE-----", "").getBytes(StandardCharsets.US_ASCII),
                "test.pem"), "a block that never ends");
        assertNull(PemTrust.read(good.replaceFirst("\n[A-Za-z0-9+/]", "\n!").getBytes(StandardCharsets.US_ASCII),
                "test.pem"), "damaged base64");
        byte[] der = root("Root A").cert().getEncoded();
        for (int cut : new int[] {0, 1, 2, 10, der.length / 2, der.length - 1}) {
            byte[] shorter = java.util.Arrays.copyOf(der, cut);
            assertNull(PemTrust.subjectOf(shorter), "a certificate cut to " + cut + " bytes");
        }
        byte[] lying = der.clone();
        lying[1] = (byte) 0x84; // a length of four bytes that are not there: it overruns the certificate
        assertNull(PemTrust.subjectOf(lying));
    }

    // A certificate laid out as one (its subject readable) that the JDK cannot parse: version 8 in its [0] field.
    private static String damagedPem(X509Certificate good) throws Exception {
        byte[] der = good.getEncoded();
        for (int i = 0; i + 4 < der.length; i++) {
            if (der[i] == (byte) 0xa0 && der[i + 1] == 3 && der[i + 2] == 2 && der[i + 3] == 1 && der[i + 4] == 2) {
                der[i + 4] = 7;
                return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(der) + "\n-----END CERTIFICATE-----\n";
            }
        }
        throw new AssertionError("no version field");
    }

    @Test
    void aDamagedCertificateAChainNamesIsReportedWithTheBundle_andAGoodCopyBesideItStillAnchors() throws Exception {
        Issued root = root("Root A");
        URI uri = serve(signedBy(root, "server", false, "127.0.0.1"));
        Path onlyDamaged = Files.writeString(dir.resolve("damaged.pem"), damagedPem(root.cert()));
        PemTrust trust = lazy(onlyDamaged);
        assertEquals(false, trusts(uri, trust));
        FetchException e = assertThrows(FetchException.class, () -> new HttpFetcher(settings(onlyDamaged),
                BuildListener.silent()).get(uri, null, Map.of()));
        assertTrue(e.getMessage().contains("certificate #1 of the CA bundle " + onlyDamaged + ", which the chain"
                + " names, cannot be parsed"), e.getMessage());

        // The JDK's parser rejects this whole bundle for its damaged block; read lazily, the intact copy anchors
        Path both = Files.writeString(dir.resolve("both.pem"), damagedPem(root.cert()) + pem(root.cert()));
        assertTrue(trusts(uri, lazy(both)), "the intact copy anchors the chain");
    }

    @Test
    void aDamagedBundleFailsTheFirstHttpsRequestWithItsName() throws Exception {
        URI uri = serve(signedBy(root("Root A"), "server", false, "127.0.0.1"));
        Path pem = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n"
                + "-----END CERTIFICATE-----\n");
        HttpFetcher.prepareTls(settings(pem)); // made ahead: fails quietly, the request reports it
        FetchException e = assertThrows(FetchException.class, () -> new HttpFetcher(settings(pem),
                BuildListener.silent()).get(uri, null, Map.of()));
        assertTrue(e.getMessage().startsWith("cannot read the CA certificates " + pem), e.getMessage());
    }

    private static NetworkSettings settings(Path pem) {
        return new NetworkSettings(false, false, Duration.ofSeconds(10), Duration.ofSeconds(10), 0,
                Duration.ofMillis(10), List.of(), pem, Duration.ofMinutes(1));
    }
}

package io.statefulset.agent.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in the test, as cert-manager would issue them: an ECDSA P-256 CA and leaves signed by it, written
 * as PEM files ({@code tls.crt}, PKCS#8 {@code tls.key}, {@code ca.crt}).
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final String name;
    private final KeyPair keys;
    private final X509Certificate cert;

    private TestPki(String name, KeyPair keys, X509Certificate cert) {
        this.name = name;
        this.keys = keys;
        this.cert = cert;
    }

    /** A self-signed CA valid from an hour ago for a day. */
    public static TestPki ca(String name) throws GeneralSecurityException, IOException {
        KeyPair keys = keyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        return new TestPki(name, keys, sign(b, keys));
    }

    /** A leaf for {@code dnsNames} ("ip:127.0.0.1" for an IP address), valid now, usable by a server and a client. */
    public Leaf leaf(String cn, List<String> dnsNames) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        return leaf(cn, dnsNames, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    /** A leaf that expired an hour ago. */
    public Leaf expiredLeaf(String cn, List<String> dnsNames) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        return leaf(cn, dnsNames, now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)));
    }

    private Leaf leaf(String cn, List<String> dnsNames, Instant from, Instant until) throws GeneralSecurityException, IOException {
        KeyPair leafKeys = keyPair();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(from), Date.from(until), new X500Name("CN=" + cn), leafKeys.getPublic());
        GeneralName[] names = dnsNames.stream().map(n -> n.startsWith("ip:")
                ? new GeneralName(GeneralName.iPAddress, n.substring(3)) : new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false, new org.bouncycastle.asn1.x509.ExtendedKeyUsage(
                new org.bouncycastle.asn1.x509.KeyPurposeId[] {org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth,
                        org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth}));
        return new Leaf(this, leafKeys, sign(b, keys));
    }

    /** Writes this CA's certificate as {@code dir/ca.crt}. */
    public Path writeCa(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve("ca.crt");
        Files.writeString(f, pem(cert));
        return f;
    }

    /** Trust managers that trust this CA only. */
    public javax.net.ssl.TrustManager[] trustManagers() throws GeneralSecurityException, IOException {
        java.security.KeyStore ts = java.security.KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", cert);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        return tmf.getTrustManagers();
    }

    public String name() {
        return name;
    }

    /** A certificate and its key, signed by {@link #ca()}. */
    public record Leaf(TestPki ca, KeyPair keys, X509Certificate cert) {
        /** A client context presenting this leaf and trusting its CA (what curl --cert --cacert does). */
        public javax.net.ssl.SSLContext clientContext() throws GeneralSecurityException, IOException {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("leaf", keys.getPrivate(), new char[0], new java.security.cert.Certificate[] {cert, ca.cert});
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            javax.net.ssl.SSLContext c = javax.net.ssl.SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), ca.trustManagers(), null);
            return c;
        }

        /** {@code tls.crt}, {@code tls.key} (PKCS#8), {@code ca.crt}: a Secret of cert-manager's. */
        public Map<String, byte[]> secretFiles() throws IOException {
            return Map.of("tls.crt", pem(cert).getBytes(StandardCharsets.US_ASCII),
                    "tls.key", pkcs8(keys).getBytes(StandardCharsets.US_ASCII),
                    "ca.crt", pem(ca.cert).getBytes(StandardCharsets.US_ASCII));
        }

        /** Writes {@code tls.crt}, {@code tls.key} (PKCS#8) and the CA's {@code ca.crt} into {@code dir}. */
        public PemFiles writeTo(Path dir) throws IOException {
            Files.createDirectories(dir);
            Path crt = dir.resolve("tls.crt");
            Path key = dir.resolve("tls.key");
            Files.writeString(crt, pem(cert));
            Files.writeString(key, pkcs8(keys));
            return new PemFiles(crt, key, ca.writeCa(dir));
        }
    }

    /** The three files as cert-manager names them. */
    public record PemFiles(Path cert, Path key, Path ca) {}

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signerKeys) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(signerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }

    static String pkcs8(KeyPair keys) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
        }
        return w.toString();
    }
}

package io.statefulset.agent.common.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * A certificate chain and its private key from PEM bytes, checked to belong together, so that a half-rewritten pair
 * (the certificate new, the key still old) is refused rather than served.
 */
public record PemCredentials(PrivateKey key, X509Certificate[] chain) {
    private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PKCS8_END = "-----END PRIVATE KEY-----";

    /** @throws GeneralSecurityException with a message naming what is wrong and how to fix it */
    public static PemCredentials parse(byte[] certPem, byte[] keyPem) throws GeneralSecurityException {
        X509Certificate[] chain = certificates(certPem, "the certificate file");
        PrivateKey key = privateKey(keyPem);
        if (!belongTogether(key, chain[0])) {
            throw new GeneralSecurityException("the private key does not belong to the certificate "
                    + chain[0].getSubjectX500Principal() + " (were the two files updated together?)");
        }
        return new PemCredentials(key, chain);
    }

    public static X509Certificate[] certificates(byte[] pem, String what) throws CertificateException {
        List<X509Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem)).stream().map(X509Certificate.class::cast).toList();
        if (certs.isEmpty()) throw new CertificateException(what + " holds no PEM certificate");
        return certs.toArray(X509Certificate[]::new);
    }

    static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
        String text = new String(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf(PKCS8_BEGIN);
        int end = text.indexOf(PKCS8_END);
        if (begin < 0 || end < begin) {
            String found = text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
                    ? "a PKCS#1/SEC1 key" : "no PEM private key";
            throw new GeneralSecurityException("the key file holds " + found + "; a PKCS#8 key (BEGIN PRIVATE KEY) is"
                    + " needed: convert with `openssl pkcs8 -topk8 -nocrypt`, or set privateKey.encoding: PKCS8 in the"
                    + " cert-manager Certificate");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + PKCS8_BEGIN.length(), end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("EC", "RSA", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException tryNext) {
                // not a key of this algorithm: try the next
            }
        }
        throw new GeneralSecurityException("the PKCS#8 key is neither EC, RSA nor Ed25519");
    }

    private static boolean belongTogether(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) return true; // unusual key type: the handshake will tell
        byte[] probe = "mysql-statefulset-agent key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        try {
            verifier.initVerify(cert.getPublicKey());
        } catch (java.security.InvalidKeyException e) {
            return false; // an EC key against an RSA certificate
        }
        verifier.update(probe);
        return verifier.verify(signature);
    }
}

package io.statefulset.agent.common.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The PEM files of the port's TLS (cert-manager's {@code tls.crt}, {@code tls.key}, {@code ca.crt}).
 *
 * @param cert this side's certificate chain
 * @param key  its private key, PKCS#8 ({@code BEGIN PRIVATE KEY}; cert-manager: {@code privateKey.encoding: PKCS8})
 * @param ca   serve: clients must present a certificate signed by it (mutual TLS); init: the donor's must be
 */
public record TlsFiles(Optional<Path> cert, Optional<Path> key, Optional<Path> ca) {
    public TlsFiles {
        if (cert.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("--tls-cert-file and --tls-key-file go together: give both or neither");
        }
    }

    /** Whatever is given, in a fixed order (cert, key, ca), for a reload's fingerprint. */
    public List<Path> all() {
        return java.util.stream.Stream.of(cert, key, ca).flatMap(Optional::stream).toList();
    }

    public boolean presentsCertificate() {
        return cert.isPresent();
    }
}

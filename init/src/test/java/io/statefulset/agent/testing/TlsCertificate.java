package io.statefulset.agent.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One self-signed certificate per test JVM, made with {@code openssl} in a fraction of a second. MariaDB 11.4
 * turns TLS on by default and, without a certificate, generates one at every start: 30 s of CPU on a busy 2-core
 * machine. Its replicas require TLS by default ({@code MASTER_SSL=1}), so the tests keep TLS on and hand the
 * server this certificate instead.
 */
final class TlsCertificate {
    private static TlsCertificate instance;

    final Path cert;
    final Path key;

    private TlsCertificate(Path cert, Path key) {
        this.cert = cert;
        this.key = key;
    }

    static synchronized TlsCertificate get() {
        if (instance != null) return instance;
        try {
            Path dir = Files.createTempDirectory("test-tls-");
            dir.toFile().deleteOnExit();
            Path cert = dir.resolve("server-cert.pem");
            Path key = dir.resolve("server-key.pem");
            ExternalCommand.succeed(List.of(ExternalCommand.program("openssl").toString(), "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-days", "7", "-subj", "/CN=database-test-server", "-keyout", key.toString(), "-out", cert.toString()),
                    dir.resolve("openssl.log"));
            cert.toFile().deleteOnExit();
            key.toFile().deleteOnExit();
            dir.resolve("openssl.log").toFile().deleteOnExit();
            instance = new TlsCertificate(cert, key);
            return instance;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate with openssl (run bin/setup-deps): " + e.getMessage(), e);
        }
    }
}

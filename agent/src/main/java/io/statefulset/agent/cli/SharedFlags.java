package io.statefulset.agent.cli;

import io.statefulset.agent.common.tls.TlsFiles;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The flags both modes take. */
final class SharedFlags {
    @Option(names = "--hostname", description = "pod name <statefulset>-<ordinal>")
    @DefaultText("$HOSTNAME, else the machine's hostname")
    String hostname;

    @Option(names = "--service", defaultValue = "mysql", description = "headless Service; peers are <sts>-<n>.<service>")
    String service;

    @Option(names = "--data-dir", defaultValue = "/var/lib/mysql", description = "mysqld's data dir")
    Path dataDir;

    @Option(names = "--backup-tool", defaultValue = "auto",
            description = "xtrabackup, mariadb-backup, mariabackup or a path; auto = first on PATH")
    String backupTool;

    @Option(names = "--token-file", description = "shared secret: serve requires it on /backup, init sends it")
    @DefaultText("none")
    Path tokenFile;

    @Option(names = "--tls-cert-file", description = "PEM certificate chain: serve's for TLS on its port; init's for mutual TLS")
    @DefaultText("none (serve: plain HTTP)")
    Path tlsCertFile;

    @Option(names = "--tls-key-file", description = "PKCS#8 PEM private key of --tls-cert-file")
    @DefaultText("none")
    Path tlsKeyFile;

    @Option(names = "--tls-ca-file", description = "PEM CA: serve requires client certificates it signed (mutual TLS); init verifies the donor with it (TLS on)")
    @DefaultText("none")
    Path tlsCaFile;

    TlsFiles tls() {
        return new TlsFiles(Optional.ofNullable(tlsCertFile), Optional.ofNullable(tlsKeyFile), Optional.ofNullable(tlsCaFile));
    }

    Optional<Path> tokenFile() {
        return Optional.ofNullable(tokenFile);
    }
}

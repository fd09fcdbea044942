package io.statefulset.agent.serve;

import io.statefulset.agent.clone.CloneMethod;
import io.statefulset.agent.cloneplugin.ClonePluginSettings;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.identity.PodIdentity;
import io.statefulset.agent.backup.WireCompression;
import io.statefulset.agent.common.secret.SecretSource;
import io.statefulset.agent.common.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code agent.jar serve} is told, already parsed and validated by the CLI.
 *
 * @param pod                 this pod, parsed once from {@code <sts>-<ordinal>}: ordinal 0 is the primary
 * @param dataDir             where the clone left {@code xtrabackup_*_info} and where the once-marker is kept
 * @param listen              backup + health server address (default 0.0.0.0:3307)
 * @param mysql               the local mysqld (default 127.0.0.1:3306)
 * @param mysqlUser           user for the local mysqld (and for the backup tool)
 * @param mysqlPassword       its password (env MYSQL_PASSWORD or --mysql-password-file, re-read on use)
 * @param source              replication source (default {@code <sts>-0.<service>:3306})
 * @param replicationUser     user the replica connects to the source with (default: mysqlUser)
 * @param replicationPassword its password (env AGENT_REPLICATION_PASSWORD or file; default: mysqlPassword)
 * @param backupTool          {@code auto} or a program name/path
 * @param token               bearer token required on /backup, if any (re-read when its file changes)
 * @param tokenGrace          how long the previous token is still accepted after the file changed
 * @param tls                 the port's TLS files; no certificate: plain HTTP
 * @param maxLag              /readyz fails on a replica lagging more than this
 * @param mysqlWait           how long to wait for the local mysqld before giving up (exit 1)
 * @param legacyRawStream     a client that sends no request within {@code legacyWait} gets the raw stream (ncat)
 * @param legacyWait          see {@code legacyRawStream}
 * @param sendStallTimeout    a backup whose client accepts no data this long is aborted
 * @param requestTimeout      a connection without a complete request this long is closed
 * @param maxConnections      open connections beyond this are closed at once
 * @param compression         the backup body's content-coding ({@code --compression}, {@code --compression-level})
 * @param maxRate             cap on a backup's sending rate, bytes per second; 0 = none ({@code --max-rate})
 * @param backupParallel      the backup tool's {@code --parallel} ({@code --backup-parallel})
 * @param clonePlugin         seeding an empty replica with the CLONE plugin (method, donors, account, caps)
 */
public record ServeOptions(
        PodIdentity pod,
        Path dataDir,
        HostPort listen,
        HostPort mysql,
        String mysqlUser,
        Optional<SecretSource> mysqlPassword,
        HostPort source,
        String replicationUser,
        Optional<SecretSource> replicationPassword,
        String backupTool,
        Optional<SecretSource> token,
        Duration tokenGrace,
        TlsFiles tls,
        Duration maxLag,
        Duration mysqlWait,
        boolean legacyRawStream,
        Duration legacyWait,
        Duration sendStallTimeout,
        Duration requestTimeout,
        int maxConnections,
        WireCompression compression,
        long maxRate,
        int backupParallel,
        ClonePluginSettings clonePlugin) {

    public ServeOptions {
        if (tls.ca().isPresent() && !tls.presentsCertificate()) {
            throw new IllegalArgumentException("--tls-ca-file on serve asks clients for certificates, which needs TLS:"
                    + " give --tls-cert-file and --tls-key-file too");
        }
        if (legacyRawStream && token.isPresent()) {
            throw new IllegalArgumentException("--legacy-raw-stream serves anyone who connects, which a --token-file"
                    + " forbids: drop one of them (the raw stream is for a migration from the tutorial, without a token)");
        }
        if (legacyRawStream && tls.presentsCertificate()) {
            throw new IllegalArgumentException("--legacy-raw-stream cannot be combined with TLS: the tutorial's ncat"
                    + " speaks plain TCP; turn TLS on once the migration is done");
        }
        if (maxConnections < 1) throw new IllegalArgumentException("--max-connections must be at least 1, got " + maxConnections);
    }
}

package io.statefulset.agent.backup;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.SecretSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the backup feature is told by {@code serve}.
 *
 * @param dataDir          the local data dir (its size is the receivers' ETA estimate)
 * @param mysql            the local mysqld the backup tool connects to
 * @param mysqlUser        the user it connects as
 * @param mysqlPassword    its password, read for each backup: the tool gets it through a defaults file, never argv
 * @param backupTool       {@code auto} or a program name/path
 * @param token            bearer token required on /backup, if any
 * @param tokenGrace       how long the previous token is accepted after the token file changed
 * @param rawStream        a silent client gets the raw stream (the tutorial's ncat; only without a token)
 * @param sendStallTimeout a backup whose client accepts no data this long is aborted
 * @param masked           every secret the agent holds: masked in the tool's stderr before it is logged or sent
 * @param compression      the body's content-coding for clients that accept one
 * @param maxRate          cap on a backup's sending rate on the wire, bytes per second; 0 = none
 * @param parallel         the backup tool's {@code --parallel} (files read at once); 1 = its default, one
 */
public record BackupSettings(Path dataDir, HostPort mysql, String mysqlUser, Optional<SecretSource> mysqlPassword,
                             String backupTool, Optional<SecretSource> token, Duration tokenGrace, boolean rawStream,
                             Duration sendStallTimeout, List<SecretSource> masked,
                             WireCompression compression, long maxRate, int parallel) {
    public BackupSettings {
        if (maxRate < 0) throw new IllegalArgumentException("--max-rate must not be negative, got " + maxRate);
        if (parallel < 1) throw new IllegalArgumentException("--backup-parallel must be at least 1, got " + parallel);
    }

    /** For logs: "max rate 100.0 MB/s" or "no rate cap". */
    public static String describeRate(long maxRate) {
        return maxRate == 0 ? "no rate cap" : String.format("max rate %.1f MB/s", maxRate / 1e6);
    }
}

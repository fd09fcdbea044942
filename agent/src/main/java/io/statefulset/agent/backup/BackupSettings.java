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
 */
public record BackupSettings(Path dataDir, HostPort mysql, String mysqlUser, Optional<SecretSource> mysqlPassword,
                             String backupTool, Optional<SecretSource> token, Duration tokenGrace, boolean rawStream,
                             Duration sendStallTimeout, List<SecretSource> masked) {}

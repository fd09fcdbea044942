package io.statefulset.agent.backup;

import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the backup feature is told by {@code serve}.
 *
 * @param dataDir       the local data dir (its size is the receivers' ETA estimate)
 * @param mysql         the local mysqld the backup tool connects to
 * @param mysqlUser     the user it connects as
 * @param mysqlPassword its password: the tool gets it through a defaults file, never argv
 * @param backupTool    {@code auto} or a program name/path
 * @param token         bearer token required on /backup, if any (no token: the raw stream for silent clients is on)
 * @param masked        every secret the agent holds: masked in the tool's stderr before it is logged or sent
 */
public record BackupSettings(Path dataDir, HostPort mysql, String mysqlUser, Optional<Secret> mysqlPassword,
                             String backupTool, Optional<Secret> token, List<Secret> masked) {}

package io.statefulset.agent.serve;

import io.statefulset.agent.clone.CloneMethod;
import io.statefulset.agent.cloneplugin.ClonePluginSettings;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.identity.PodIdentity;
import io.statefulset.agent.common.secret.Secret;
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
 * @param mysqlPassword       its password (env MYSQL_PASSWORD or --mysql-password-file)
 * @param source              replication source (default {@code <sts>-0.<service>:3306})
 * @param replicationUser     user the replica connects to the source with (default: mysqlUser)
 * @param replicationPassword its password (env AGENT_REPLICATION_PASSWORD or file; default: mysqlPassword)
 * @param backupTool          {@code auto} or a program name/path
 * @param token               bearer token required on /backup, if any
 * @param maxLag              /readyz fails on a replica lagging more than this
 * @param mysqlWait           how long to wait for the local mysqld before giving up (exit 1)
 * @param legacyWait          a client that sends no request within this time gets the raw stream (ncat clients)
 * @param clonePlugin         seeding an empty replica with the CLONE plugin (method, donors, account, caps)
 */
public record ServeOptions(
        PodIdentity pod,
        Path dataDir,
        HostPort listen,
        HostPort mysql,
        String mysqlUser,
        Optional<Secret> mysqlPassword,
        HostPort source,
        String replicationUser,
        Optional<Secret> replicationPassword,
        String backupTool,
        Optional<Secret> token,
        Duration maxLag,
        Duration mysqlWait,
        Duration legacyWait,
        ClonePluginSettings clonePlugin) {

    /** Without the CLONE plugin path ({@code --clone-method xbstream}): what serve did before it existed. */
    public ServeOptions(PodIdentity pod, Path dataDir, HostPort listen, HostPort mysql, String mysqlUser,
                        Optional<Secret> mysqlPassword, HostPort source, String replicationUser,
                        Optional<Secret> replicationPassword, String backupTool, Optional<Secret> token, Duration maxLag,
                        Duration mysqlWait, Duration legacyWait) {
        this(pod, dataDir, listen, mysql, mysqlUser, mysqlPassword, source, replicationUser, replicationPassword,
                backupTool, token, maxLag, mysqlWait, legacyWait, new ClonePluginSettings(CloneMethod.XBSTREAM, List.of(),
                        replicationUser, replicationPassword, Duration.ofMinutes(10), Duration.ofSeconds(60), 3, Duration.ofSeconds(5), 0, 0, false));
    }
}

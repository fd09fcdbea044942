package io.statefulset.agent.cli;

import io.statefulset.agent.common.identity.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code agent.jar serve}: the sidecar's flags, each with its default and {@code AGENT_*} env mirror. */
@Command(name = "serve")
final class ServeFlags {
    @Mixin
    SharedFlags shared;

    @Mixin
    DonorRoundFlags rounds;

    @Option(names = "--listen", defaultValue = "0.0.0.0:3307", converter = AgentPortConverter.class,
            description = "backup, health and metrics server address")
    HostPort listen;

    @Option(names = "--mysql-host", defaultValue = "127.0.0.1", description = "local mysqld host")
    String mysqlHost;

    @Option(names = "--mysql-port", defaultValue = "3306", description = "local mysqld port")
    int mysqlPort;

    @Option(names = "--mysql-user", defaultValue = "root", description = "local mysqld user (also used by the backup tool)")
    String mysqlUser;

    @Option(names = "--mysql-password-file", description = "file holding the mysql user's password")
    @DefaultText("env MYSQL_PASSWORD, else none")
    Path mysqlPasswordFile;

    @Option(names = "--source-host", description = "replication source host")
    @DefaultText("<sts>-0.<service>")
    String sourceHost;

    @Option(names = "--source-port", defaultValue = "3306", description = "replication source port")
    int sourcePort;

    @Option(names = "--replication-user", description = "user replicas connect to the source with; created on the primary if missing")
    @DefaultText("the mysql user")
    String replicationUser;

    @Option(names = "--replication-password-file", description = "file holding the replication password")
    @DefaultText("env AGENT_REPLICATION_PASSWORD, else the mysql password")
    Path replicationPasswordFile;

    @Option(names = "--max-lag", defaultValue = "60s", converter = DurationConverter.class,
            description = "/readyz fails on a replica lagging more than this")
    Duration maxLag;

    @Option(names = "--mysql-wait", defaultValue = "10m", converter = DurationConverter.class,
            description = "how long to wait for the local mysqld before exit 1")
    Duration mysqlWait;

    @Option(names = "--legacy-raw-stream", defaultValue = "false", arity = "0..1",
            description = "migration from the tutorial only: a client that sends no request gets the raw stream (ncat); needs no token and no TLS")
    boolean legacyRawStream;

    @Option(names = "--legacy-wait", defaultValue = "500ms", converter = DurationConverter.class,
            description = "with --legacy-raw-stream: a client that sends no request this long gets the raw stream")
    Duration legacyWait;

    @Option(names = "--token-grace", defaultValue = "10m", converter = DurationConverter.class,
            description = "after --token-file changes, the previous token is still accepted this long")
    Duration tokenGrace;

    @Option(names = "--send-stall-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "a backup whose client accepts no data this long is aborted (tool killed, slot freed)")
    Duration sendStallTimeout;

    @Option(names = "--request-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "a connection without a complete request this long after it opened (or after its last answer) is closed")
    Duration requestTimeout;

    @Option(names = "--max-connections", defaultValue = "512", description = "open connections on --listen beyond this are closed at once")
    int maxConnections;

    @Option(names = "--compression", defaultValue = "auto",
            description = "backup body on the wire: zstd, lz4, none, or auto (none to a client on this host, else lz4)")
    String compression;

    @Option(names = "--compression-level", defaultValue = "1", description = "zstd's level, 1 (fastest) to 19")
    int compressionLevel;

    @Option(names = "--max-rate", defaultValue = "0", converter = ByteRateConverter.class,
            description = "cap on a backup's sending rate on the wire, bytes/s: 100M, 1G, 500K; 0 = none")
    long maxRate;

    @Option(names = "--backup-parallel", defaultValue = "1", description = "files the backup tool reads at once (its --parallel)")
    int backupParallel;

    @Option(names = "--clone-donor", split = "\\s*,\\s*", converter = MysqlPortConverter.class,
            description = "donor mysqld for the CLONE plugin (repeatable; env: comma-separated)")
    @DefaultText("<sts>-<n-1>.<service>:3306, then earlier peers")
    List<HostPort> cloneDonors = new ArrayList<>();

    @Option(names = "--clone-user", description = "donor account for CLONE (BACKUP_ADMIN); created on the primary if missing")
    @DefaultText("the replication user")
    String cloneUser;

    @Option(names = "--clone-password-file", description = "file holding the clone user's password")
    @DefaultText("env AGENT_CLONE_PASSWORD, else the replication password")
    Path clonePasswordFile;

    @Option(names = "--clone-max-network-bandwidth", defaultValue = "0",
            description = "clone_max_network_bandwidth in MiB/s (0 = no cap)")
    int cloneMaxNetworkBandwidth;

    @Option(names = "--clone-max-data-bandwidth", defaultValue = "0",
            description = "clone_max_data_bandwidth in MiB/s (0 = no cap)")
    int cloneMaxDataBandwidth;

    @Option(names = "--conf-dir", defaultValue = "/etc/mysql/conf.d",
            description = "the conf dir init fills, as this container mounts it: serve lifts init's rebuild fence there before a CLONE")
    Path confDir;

    @Option(names = "--clone-require-ssl", defaultValue = "false", arity = "1",
            description = "true: CLONE ... REQUIRE SSL, refuse a clone connection without TLS")
    boolean cloneRequireSsl;
}

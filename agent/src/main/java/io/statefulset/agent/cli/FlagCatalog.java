package io.statefulset.agent.cli;

import java.util.List;

/**
 * Every flag the agent takes, in one table: --help prints it, the parser enforces it, and the manifest tests check
 * that every flag and {@code AGENT_*} name used in k8s/ exists here.
 */
public final class FlagCatalog {
    private FlagCatalog() {}

    public static final List<FlagSpec> ALL = List.of(
            FlagSpec.of("hostname", "init,serve", "$HOSTNAME, else the machine's hostname", "pod name <statefulset>-<ordinal>"),
            FlagSpec.of("service", "init,serve", "mysql", "headless Service; peers are <sts>-<n>.<service>"),
            FlagSpec.of("data-dir", "init,serve", "/var/lib/mysql", "mysqld's data dir"),
            FlagSpec.of("backup-tool", "init,serve", "auto", "xtrabackup, mariadb-backup, mariabackup or a path; auto = first on PATH"),
            FlagSpec.of("token-file", "init,serve", "none", "shared secret: serve requires it on /backup, init sends it"),
            FlagSpec.of("clone-method", "init,serve", "auto", "auto, xbstream (init pulls the backup tool's stream) or clone-plugin (serve runs MySQL's CLONE)"),

            FlagSpec.of("server-id-offset", "init", "100", "server-id = offset + ordinal"),
            FlagSpec.of("config-map-dir", "init", "/mnt/config-map", "holds primary.cnf and replica.cnf"),
            FlagSpec.of("conf-dir", "init", "/mnt/conf.d", "where server-id.cnf and the role's cnf are written"),
            FlagSpec.repeatable("donor", "init", "<sts>-<n-1>.<service>:3307, then earlier peers", "host:port to clone from (repeatable; env: comma-separated)"),
            FlagSpec.of("donor-wait", "init,serve", "10m", "how long to wait for a donor's DNS name and port per attempt"),
            FlagSpec.of("stall-timeout", "init", "60s", "a donor that sends nothing for this long has failed"),
            FlagSpec.of("clone-attempts", "init,serve", "3", "rounds over all donors before giving up (exit 1)"),
            FlagSpec.of("progress-interval", "init,serve", "5s", "how often a clone logs bytes, MB/s and ETA"),

            FlagSpec.of("listen", "serve", "0.0.0.0:3307", "backup, health and metrics server address"),
            FlagSpec.of("mysql-host", "serve", "127.0.0.1", "local mysqld host"),
            FlagSpec.of("mysql-port", "serve", "3306", "local mysqld port"),
            FlagSpec.of("mysql-user", "serve", "root", "local mysqld user (also used by the backup tool)"),
            FlagSpec.of("mysql-password-file", "serve", "env MYSQL_PASSWORD, else none", "file holding the mysql user's password"),
            FlagSpec.of("source-host", "serve", "<sts>-0.<service>", "replication source host"),
            FlagSpec.of("source-port", "serve", "3306", "replication source port"),
            FlagSpec.of("replication-user", "serve", "the mysql user", "user replicas connect to the source with; created on the primary if missing"),
            FlagSpec.of("replication-password-file", "serve", "env AGENT_REPLICATION_PASSWORD, else the mysql password", "file holding the replication password"),
            FlagSpec.of("max-lag", "serve", "60s", "/readyz fails on a replica lagging more than this"),
            FlagSpec.of("mysql-wait", "serve", "10m", "how long to wait for the local mysqld before exit 1"),
            FlagSpec.of("legacy-wait", "serve", "500ms", "a client that sends no request this long gets the raw stream (ncat)"),
            FlagSpec.repeatable("clone-donor", "serve", "<sts>-<n-1>.<service>:3306, then earlier peers", "donor mysqld for the CLONE plugin (repeatable; env: comma-separated)"),
            FlagSpec.of("clone-user", "serve", "the replication user", "donor account for CLONE (BACKUP_ADMIN); created on the primary if missing"),
            FlagSpec.of("clone-password-file", "serve", "env AGENT_CLONE_PASSWORD, else the replication password", "file holding the clone user's password"),
            FlagSpec.of("clone-max-network-bandwidth", "serve", "0", "clone_max_network_bandwidth in MiB/s (0 = no cap)"),
            FlagSpec.of("clone-max-data-bandwidth", "serve", "0", "clone_max_data_bandwidth in MiB/s (0 = no cap)"),
            FlagSpec.of("clone-require-ssl", "serve", "false", "CLONE ... REQUIRE SSL: refuse a clone connection without TLS"));
}

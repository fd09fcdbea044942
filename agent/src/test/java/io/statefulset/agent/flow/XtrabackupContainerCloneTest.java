package io.statefulset.agent.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.statefulset.agent.health.ReplicaState;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.replication.infofile.BackupInfoFiles;
import io.statefulset.agent.replication.infofile.BinlogPosition;
import io.statefulset.agent.replication.infofile.ClonePosition;
import io.statefulset.agent.replication.infofile.GtidPosition;
import io.statefulset.agent.mysql.JdbcMysqlProbe;
import io.statefulset.agent.mysql.LocalMysqlDataSource;
import io.statefulset.agent.replication.setup.PositioningPreference;
import io.statefulset.agent.replication.setup.ReplicationSettings;
import io.statefulset.agent.replication.setup.ReplicationSetup;
import io.statefulset.agent.replication.setup.SetupOutcome;
import io.statefulset.agent.replication.SourceEndpoint;
import io.statefulset.agent.common.secret.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The clone path of the tutorial with MySQL and Percona XtraBackup instead of MariaDB: a primary container, a
 * backup of it streamed by xtrabackup (from Percona's image) and extracted by the agent's {@code XbstreamExtractor},
 * prepared by xtrabackup, a replica container started on the prepared data dir, and the agent's
 * {@link ReplicationSetup} reading the clone's {@code xtrabackup_binlog_info} and making the replica follow the
 * primary by GTID. Checks what MariaDB cannot: that the files Percona's tools write for MySQL 8.0 and 8.4 are what
 * the parsers expect, and that the dialect of each version starts replication from them.
 *
 * <p>Skipped where no Docker engine runs (as on the project's machines). The replica's data dir is a bind mount of
 * a JUnit temp dir, because the agent reads the info file and writes its markers there, as {@code serve} does on
 * the shared volume; the replica's mysqld and the prepare step run as the uid:gid that owns that dir (the mysql
 * image supports {@code --user}), so every file stays the JVM's. Needs a Docker engine that maps that uid one to one
 * into containers (rootful Docker on Linux, Docker Desktop); on SELinux-enforcing hosts the bind mount needs a label.
 */
@Testcontainers(disabledWithoutDocker = true)
class XtrabackupContainerCloneTest {
    private static final String PRIMARY_ALIAS = "mysql-0";
    private static final String REPLICA_ALIAS = "mysql-1";
    private static final Secret REPLICATION_PASSWORD = Secret.of("r3pl-Secret!", "test");
    private static final int ROWS_BEFORE_BACKUP = 3;
    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    /** The replica's /var/lib/mysql: the extracted backup, then the running replica's files and the agent's markers. */
    @TempDir
    Path replicaDataDir;
    /** The primary's setup only creates the replication user; its data dir stays in the container's volume. */
    @TempDir
    Path primaryAgentDir;

    static Stream<Arguments> servers() {
        // xtrabackup refuses a server newer than its own series: 8.0.35-3x covers MySQL 8.0.x from 8.0.34,
        // 8.4.0-x covers 8.4.x (Percona's "server version and backup version comparison").
        return Stream.of(
                Arguments.of("mysql:8.0.40", "percona/percona-xtrabackup:8.0"),
                Arguments.of("mysql:8.4.3", "percona/percona-xtrabackup:8.4"));
    }

    private static MySQLContainer<?> mysql(String image, Network network, String alias, int serverId) {
        return new MySQLContainer<>(DockerImageName.parse(image))
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withCommand("--server-id=" + serverId, "--log-bin=mysql-bin", "--gtid-mode=ON", "--enforce-gtid-consistency=ON");
    }

    private static HikariDataSource dataSource(MySQLContainer<?> c, Secret rootPassword) {
        return LocalMysqlDataSource.create(new HostPort(c.getHost(), c.getMappedPort(3306)), "root",
                Optional.of(rootPassword), Duration.ofSeconds(5));
    }

    @ParameterizedTest(name = "{0} cloned with {1}")
    @MethodSource("servers")
    void replicaClonedByXtrabackupFollowsThePrimary(String mysqlImage, String xtrabackupImage) throws Exception {
        XtrabackupImage xtrabackup = new XtrabackupImage(xtrabackupImage);
        HostUser dataDirOwner = HostUser.owning(replicaDataDir);
        SourceEndpoint source = new SourceEndpoint(new HostPort(PRIMARY_ALIAS, 3306), "repl", Optional.of(REPLICATION_PASSWORD));
        try (Network network = Network.newNetwork();
             MySQLContainer<?> primary = mysql(mysqlImage, network, PRIMARY_ALIAS, 100)) {
            primary.start();
            // The clone carries the primary's accounts, so the same root password opens the replica.
            Secret rootPassword = Secret.of(primary.getPassword(), "container");
            try (HikariDataSource primaryDs = dataSource(primary, rootPassword)) {
                SetupOutcome onPrimary = new ReplicationSetup(new ReplicationSettings(true, primaryAgentDir, source,
                        "root@" + PRIMARY_ALIAS, Duration.ofMinutes(1), PositioningPreference.GTID_WHEN_AVAILABLE), primaryDs).run();
                assertEquals(SetupOutcome.Kind.PRIMARY, onPrimary.kind(), onPrimary.toString());
                execute(primaryDs, "CREATE DATABASE app",
                        "CREATE TABLE app.messages (id INT PRIMARY KEY, message VARCHAR(64) NOT NULL)",
                        "INSERT INTO app.messages VALUES (1, 'before the backup'), (2, 'before the backup'), (3, 'before the backup')");
                // Nothing writes on the primary until the backup is taken: this is the position the clone must carry.
                String gtidsAtBackup = queryOne(primaryDs, "SELECT @@GLOBAL.gtid_executed").replaceAll("\\s+", "");

                long streamBytes = xtrabackup.backupInto(primary, PRIMARY_ALIAS, replicaDataDir);
                assertTrue(Files.isRegularFile(replicaDataDir.resolve("xtrabackup_binlog_info")),
                        "xtrabackup_binlog_info among the files of a " + streamBytes + "-byte stream");
                // The mysql image's entrypoint takes a data dir with mysql/ as initialised and starts mysqld on it.
                assertTrue(Files.isDirectory(replicaDataDir.resolve("mysql")), "mysql/ in the extracted backup");
                xtrabackup.prepare(replicaDataDir);
                String checkpoints = Files.readString(replicaDataDir.resolve("xtrabackup_checkpoints"));
                assertTrue(checkpoints.contains("full-prepared"), "prepared backup: " + checkpoints);

                ClonePosition clone = BackupInfoFiles.read(replicaDataDir)
                        .orElseThrow(() -> new AssertionError("no info file found in " + replicaDataDir));
                assertEquals("xtrabackup_binlog_info", clone.infoFile(), clone.describe());
                BinlogPosition at = clone.binlog().orElseThrow(() -> new AssertionError("no coordinates: " + clone.describe()));
                assertTrue(at.file().startsWith("mysql-bin.") && at.position() > 0, clone.describe());
                assertEquals(gtidsAtBackup, clone.gtid().map(GtidPosition::text).orElse("(none)"),
                        "the GTID set of the clone is the primary's at the backup: " + clone.describe());

                try (MySQLContainer<?> replica = mysql(mysqlImage, network, REPLICA_ALIAS, 101)
                        .withFileSystemBind(replicaDataDir.toString(), "/var/lib/mysql", BindMode.READ_WRITE)
                        .withCreateContainerCmdModifier(cmd -> cmd.withUser(dataDirOwner.docker()))) {
                    replica.start();
                    try (HikariDataSource replicaDs = dataSource(replica, rootPassword)) {
                        assertEquals(ROWS_BEFORE_BACKUP, count(replicaDs), "rows the clone carried");

                        ReplicationSettings settings = new ReplicationSettings(false, replicaDataDir, source,
                                "root@" + REPLICA_ALIAS, Duration.ofMinutes(1), PositioningPreference.GTID_WHEN_AVAILABLE);
                        SetupOutcome outcome = new ReplicationSetup(settings, replicaDs).run();
                        assertEquals(SetupOutcome.Kind.CONFIGURED, outcome.kind(), outcome.toString());
                        assertTrue(outcome.detail().startsWith("GTID "), outcome.detail());

                        execute(primaryDs, "INSERT INTO app.messages VALUES (4, 'written after the clone')");
                        JdbcMysqlProbe probe = new JdbcMysqlProbe(replicaDs, replicaDataDir, Duration.ofSeconds(5));
                        Eventually.until("row 4 on the replica", ARRIVAL, () -> count(replicaDs) == ROWS_BEFORE_BACKUP + 1,
                                () -> "(replica status: " + probe.replicaState() + ")");
                        Eventually.until("the replica's IO and SQL threads running", ARRIVAL,
                                () -> probe.replicaState().filter(ReplicaState::running).isPresent(),
                                () -> "(replica status: " + probe.replicaState() + ")");
                        assertTrue(probe.replicationConfigured(), "marker in " + replicaDataDir);
                        SetupOutcome again = new ReplicationSetup(settings, replicaDs).run();
                        assertEquals(SetupOutcome.Kind.ALREADY_CONFIGURED, again.kind(), again.toString());
                    }
                }
            }
        }
    }

    private static void execute(HikariDataSource ds, String... statements) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }

    private static String queryOne(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int count(HikariDataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM app.messages")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1; // not answering yet: the caller polls or reports the count
        }
    }
}

package io.statefulset.agent.replication.setup;

import io.statefulset.agent.replication.Await;
import io.statefulset.agent.replication.SourceEndpoint;
import io.statefulset.agent.mysql.JdbcMysqlProbe;
import io.statefulset.agent.mysql.LocalMysqlDataSource;
import io.statefulset.agent.replication.dialect.ReplicationDialect;
import io.statefulset.agent.replication.dialect.ServerVersion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.statefulset.agent.common.identity.HostPort;
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
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The dialects against real MySQL 8.0 ({@code CHANGE REPLICATION SOURCE TO} since 8.0.23, {@code RESET MASTER},
 * {@code SHOW MASTER STATUS}) and 8.4 (the old words gone): a primary and a replica container on one network.
 * No backup tool here: the replica starts empty, and its info file is written from the primary's own binlog
 * status taken before the schema was created, so everything after it replicates. Skipped where no Docker engine
 * runs (as on the project's machines).
 */
@Testcontainers(disabledWithoutDocker = true)
class MysqlContainerReplicationTest {
    private static final String PRIMARY_ALIAS = "mysql-0";
    private static final Secret REPLICATION_PASSWORD = Secret.of("r3pl-Secret!", "test");

    @TempDir
    Path replicaDataDir;
    @TempDir
    Path primaryDataDir;

    static Stream<Arguments> servers() {
        return Stream.of(
                Arguments.of("mysql:8.0.40", PositioningPreference.GTID_WHEN_AVAILABLE),
                Arguments.of("mysql:8.0.40", PositioningPreference.FILE_POSITION),
                Arguments.of("mysql:8.4.3", PositioningPreference.GTID_WHEN_AVAILABLE),
                Arguments.of("mysql:8.4.3", PositioningPreference.FILE_POSITION));
    }

    private static MySQLContainer<?> mysql(String image, Network network, String alias, int serverId) {
        return new MySQLContainer<>(DockerImageName.parse(image))
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withCommand("--server-id=" + serverId, "--log-bin=mysql-bin", "--gtid-mode=ON", "--enforce-gtid-consistency=ON");
    }

    private static HikariDataSource dataSource(MySQLContainer<?> c) {
        return LocalMysqlDataSource.create(new HostPort(c.getHost(), c.getMappedPort(3306)), "root",
                Optional.of(Secret.of(c.getPassword(), "container")), Duration.ofSeconds(5));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("servers")
    void replicaConfiguredFromTheInfoFile(String image, PositioningPreference positioning) throws Exception {
        try (Network network = Network.newNetwork();
             MySQLContainer<?> primary = mysql(image, network, PRIMARY_ALIAS, 100);
             MySQLContainer<?> replica = mysql(image, network, "mysql-1", 101)) {
            primary.start();
            replica.start();
            SourceEndpoint source = new SourceEndpoint(new HostPort(PRIMARY_ALIAS, 3306), "repl", Optional.of(REPLICATION_PASSWORD));

            try (HikariDataSource primaryDs = dataSource(primary); HikariDataSource replicaDs = dataSource(replica)) {
                SetupOutcome onPrimary = new ReplicationSetup(new ReplicationSettings(true, primaryDataDir, source,
                        "root@primary", Duration.ofMinutes(1), positioning), primaryDs).run();
                assertEquals(SetupOutcome.Kind.PRIMARY, onPrimary.kind(), onPrimary.toString());

                String binlogInfo;
                try (Connection c = primaryDs.getConnection(); Statement s = c.createStatement()) {
                    ReplicationDialect dialect = ReplicationDialect.of(ServerVersion.of(c));
                    try (ResultSet rs = s.executeQuery(dialect.showBinlogStatus())) {
                        rs.next();
                        // Executed_Gtid_Set keeps MySQL's own line breaks: the multi-line form of the file.
                        binlogInfo = rs.getString("File") + "\t" + rs.getLong("Position") + "\t" + rs.getString("Executed_Gtid_Set") + "\n";
                    }
                    s.execute("CREATE DATABASE app");
                    s.execute("CREATE TABLE app.messages (id INT PRIMARY KEY, message VARCHAR(64))");
                    s.execute("INSERT INTO app.messages VALUES (1, 'before the replica started')");
                }
                Files.writeString(replicaDataDir.resolve("xtrabackup_binlog_info"), binlogInfo);

                ReplicationSettings settings = new ReplicationSettings(false, replicaDataDir, source, "root@replica",
                        Duration.ofMinutes(1), positioning);
                SetupOutcome outcome = new ReplicationSetup(settings, replicaDs).run();
                assertEquals(SetupOutcome.Kind.CONFIGURED, outcome.kind(), outcome.toString());
                assertTrue(outcome.detail().startsWith(positioning == PositioningPreference.FILE_POSITION ? "binlog " : "GTID "),
                        outcome.detail());

                try (Connection c = primaryDs.getConnection(); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO app.messages VALUES (2, 'after')");
                }
                Await.until("row 2 on the replica", Duration.ofSeconds(60), () -> count(replicaDs) == 2);

                JdbcMysqlProbe probe = new JdbcMysqlProbe(replicaDs, replicaDataDir, Duration.ofSeconds(5));
                Await.until("both replica threads running", Duration.ofSeconds(60),
                        () -> probe.replicaState().filter(st -> st.running()).isPresent());
                assertTrue(probe.replicationConfigured());
                assertEquals(SetupOutcome.Kind.ALREADY_CONFIGURED, new ReplicationSetup(settings, replicaDs).run().kind());
            }
        }
    }

    private static int count(HikariDataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM app.messages")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1; // the schema has not replicated yet
        }
    }
}

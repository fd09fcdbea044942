package io.statefulset.agent.mysql;

import io.statefulset.agent.replication.setup.PositioningPreference;
import io.statefulset.agent.replication.setup.ReplicaFixture;
import io.statefulset.agent.replication.setup.ReplicationSettings;
import io.statefulset.agent.replication.setup.ReplicationSetup;
import io.statefulset.agent.replication.ReplicationSetupException;
import io.statefulset.agent.replication.setup.SetupOutcome;
import io.statefulset.agent.replication.SourceEndpoint;
import static io.statefulset.agent.replication.setup.ReplicaFixture.dataSource;
import static io.statefulset.agent.replication.setup.ReplicaFixture.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.testing.MariaDb;
import io.statefulset.agent.testing.MariaDbExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The setup waits for a mysqld that is still starting, and stops waiting when waiting cannot help. */
class MysqlStartupWaitTest {
    @RegisterExtension
    final MariaDbExtension servers = new MariaDbExtension();

    @Test
    void waitsForAMysqldThatComesUpLater() throws Exception {
        MariaDb primary = servers.start(100);
        primary.stop();
        try (HikariDataSource ds = dataSource(primary)) {
            ReplicationSetup setup = new ReplicationSetup(settings(true, primary, primary, "root", Optional.empty(),
                    PositioningPreference.GTID_WHEN_AVAILABLE), ds);
            CompletableFuture<SetupOutcome> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    return setup.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertFalse(outcome.isDone(), "the setup cannot be done while mysqld is down");
            primary.start();
            assertEquals(SetupOutcome.Kind.PRIMARY, outcome.get(60, TimeUnit.SECONDS).kind());
        }
    }

    @Test
    void aMysqldThatNeverAnswersEndsTheWaitWithWhatToCheck() throws Exception {
        int port = MariaDb.freePort();
        Path dataDir = servers.tempDir("nothing-");
        ReplicationSettings s = new ReplicationSettings(false, dataDir,
                new SourceEndpoint(new HostPort("127.0.0.1", 3306), "root", Optional.empty()),
                "root@127.0.0.1:" + port, Duration.ofSeconds(1), PositioningPreference.GTID_WHEN_AVAILABLE);
        try (HikariDataSource ds = LocalMysqlDataSource.create(new HostPort("127.0.0.1", port), "root", Optional.empty(),
                Duration.ofMillis(500))) {
            ReplicationSetupException e = assertThrows(ReplicationSetupException.class, () -> new ReplicationSetup(s, ds).run());
            assertTrue(e.getMessage().startsWith("mysqld root@127.0.0.1:" + port + " did not answer within 1 s"), e.getMessage());
            assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
            assertTrue(e.getMessage().contains("--mysql-wait"), e.getMessage());
        }
    }

    @Test
    void aWrongPasswordEndsTheWaitAtOnce() throws Exception {
        MariaDb primary = servers.start(100);
        ReplicationSettings s = settings(true, primary, primary, "root", Optional.empty(), PositioningPreference.GTID_WHEN_AVAILABLE);
        try (HikariDataSource ds = LocalMysqlDataSource.create(new HostPort("127.0.0.1", primary.port()), "root",
                Optional.of(Secret.of("wrong", "test")), Duration.ofSeconds(2))) {
            ReplicationSetupException e = assertThrows(ReplicationSetupException.class, () -> new ReplicationSetup(s, ds).run());
            assertTrue(e.getMessage().contains("refused the login"), e.getMessage());
            assertTrue(e.getMessage().contains("MYSQL_PASSWORD"), e.getMessage());
        }
    }
}

package io.statefulset.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.backup.WireCompression;
import io.statefulset.agent.common.identity.PodIdentity;
import io.statefulset.agent.replication.setup.PositioningPreference;
import io.statefulset.agent.replication.setup.ReplicationSettings;
import io.statefulset.agent.common.secret.Secret;
import java.nio.file.Path;
import java.time.Duration;
import io.statefulset.agent.common.secret.SecretSource;
import io.statefulset.agent.common.tls.TlsFiles;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SidecarTest {
    private static ServeOptions options(String hostname) {
        return new ServeOptions(PodIdentity.fromHostname(hostname, "mysql"), Path.of("/var/lib/mysql"), new HostPort("0.0.0.0", 3307),
                new HostPort("127.0.0.1", 3306), "root", Optional.of(SecretSource.fixed(Secret.of("rootpw", "env MYSQL_PASSWORD"))),
                new HostPort("mysql-0.mysql", 3306), "repl", Optional.of(SecretSource.fixed(Secret.of("replpw", "env AGENT_REPLICATION_PASSWORD"))),
                "auto", Optional.empty(), Duration.ofMinutes(10), new TlsFiles(Optional.empty(), Optional.empty(), Optional.empty()),
                Duration.ofSeconds(60), Duration.ofMinutes(10), false, Duration.ofMillis(500), Duration.ofSeconds(60),
                Duration.ofSeconds(10), 512, WireCompression.NONE, 0, 1,
                new io.statefulset.agent.cloneplugin.ClonePluginSettings(io.statefulset.agent.clone.CloneMethod.XBSTREAM, java.util.List.of(), "root", Optional.empty(), Duration.ofMinutes(10), Duration.ofSeconds(60), 3, Duration.ofSeconds(5), 0, 0, false, java.nio.file.Path.of("/etc/mysql/conf.d")));
    }

    @Test
    void ordinalZeroIsThePrimary() {
        assertTrue(Sidecar.replication(options("mysql-0")).primary());
        assertFalse(Sidecar.replication(options("mysql-2.mysql.default.svc.cluster.local")).primary());
    }

    @Test
    void theReplicaConnectsToTheSourceWithTheReplicationAccount() {
        ReplicationSettings s = Sidecar.replication(options("mysql-1"));
        assertEquals(new HostPort("mysql-0.mysql", 3306), s.source().address());
        assertEquals("repl", s.source().user());
        assertEquals("replpw", s.source().password().orElseThrow().reveal());
        assertEquals(Path.of("/var/lib/mysql"), s.dataDir());
        assertEquals(Duration.ofMinutes(10), s.mysqlWait());
        assertEquals("root@127.0.0.1:3306", s.mysqlTarget());
        assertEquals(PositioningPreference.GTID_WHEN_AVAILABLE, s.positioning());
        assertFalse(s.toString().contains("replpw"), s.toString());
    }

    @Test
    void theDataSourceIsASmallPoolThatDoesNotConnectUpFront() throws Exception {
        // Nothing listens behind these options: creating the pool must not fail or block.
        try (HikariDataSource ds = Sidecar.localMysql(options("mysql-1"))) {
            com.mysql.cj.jdbc.MysqlDataSource driver = ds.getDataSource().unwrap(com.mysql.cj.jdbc.MysqlDataSource.class);
            assertEquals("jdbc:mysql://127.0.0.1:3306/", driver.getURL());
            assertEquals(2, ds.getMaximumPoolSize());
            assertEquals(0, ds.getMinimumIdle());
            assertEquals("PREFERRED", driver.getSslMode());
        }
    }
}

package io.statefulset.agent.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.SecretSource;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sidecar's pool after a password rotation: its next connection uses the password the file holds now. */
class RotatedPasswordTest {
    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    @Test
    void theNextConnectionUsesTheRotatedPassword() throws Exception {
        DatabaseServer db = servers.start(1);
        db.execute("CREATE USER 'agent'@'127.0.0.1' IDENTIFIED BY 'first-pw'", "GRANT ALL ON *.* TO 'agent'@'127.0.0.1'");
        Path file = Files.writeString(servers.tempDir("secret-").resolve("password"), "first-pw\n");
        SecretSource password = SecretSource.file(file, "the mysql password");
        try (HikariDataSource ds = LocalMysqlDataSource.withPasswordFrom(new HostPort("127.0.0.1", db.port()), "agent",
                Optional.of(password), Duration.ofSeconds(2))) {
            assertEquals(1, selectOne(ds));

            db.execute("ALTER USER 'agent'@'127.0.0.1' IDENTIFIED BY 'second-pw'");
            Files.writeString(file, "second-pw\n");
            password.watched().orElseThrow().refresh();
            ds.getHikariPoolMXBean().softEvictConnections();
            assertEquals(1, selectOne(ds), "a new connection with the new password");

            // The server moves on without the file: the next connection fails, so the test above could have.
            db.execute("ALTER USER 'agent'@'127.0.0.1' IDENTIFIED BY 'third-pw'");
            ds.getHikariPoolMXBean().softEvictConnections();
            SQLException e = assertThrows(SQLException.class, () -> selectOne(ds));
            assertTrue(e.getMessage().contains("Access denied") || String.valueOf(e.getCause()).contains("Access denied"), e.toString());
        }
    }

    private static int selectOne(HikariDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); var rs = c.createStatement().executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

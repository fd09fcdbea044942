package io.statefulset.agent.replication.setup;

import io.statefulset.agent.replication.dialect.SqlCommand;
import io.statefulset.agent.common.secret.Secret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account replicas log in to the primary with ({@code --replication-user}@'%'). Created when missing, with the
 * replication password and the two privileges a replica needs (reading the binlog, and the status statements);
 * an existing account is left exactly as it is: its password and grants are the operator's.
 */
public final class ReplicationUser {
    private static final Logger log = LoggerFactory.getLogger(ReplicationUser.class);

    private ReplicationUser() {}

    /** @return whether the account was created */
    public static boolean ensure(Connection c, String user, Optional<Secret> password) throws SQLException {
        if (exists(c, user)) {
            log.info("replication user '{}'@'%' exists; left as it is", user);
            return false;
        }
        for (SqlCommand cmd : statements(user, password)) {
            long t0 = System.nanoTime();
            cmd.execute(c);
            log.info("{} ({} ms)", cmd.display(), (System.nanoTime() - t0) / 1_000_000);
        }
        if (password.isEmpty() || password.get().isEmpty()) {
            log.warn("replication user '{}'@'%' was created WITHOUT a password: set AGENT_REPLICATION_PASSWORD"
                    + " or --replication-password-file from a Secret", user);
        }
        return true;
    }

    static boolean exists(Connection c, String user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM mysql.user WHERE User = ? AND Host = '%'")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    /** {@code CREATE USER IF NOT EXISTS} (a concurrent creator is not an error) and the grant. */
    static List<SqlCommand> statements(String user, Optional<Secret> password) {
        SqlCommand.Builder create = SqlCommand.builder("CREATE USER IF NOT EXISTS ").literal(user, "the replication user")
                .text("@'%'");
        password.filter(p -> !p.isEmpty()).ifPresent(p -> create.text(" IDENTIFIED BY ").secret(p, "the replication password"));
        SqlCommand grant = SqlCommand.builder("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ")
                .literal(user, "the replication user").text("@'%'").build();
        return List.of(create.build(), grant);
    }
}

package io.statefulset.agent.cloneplugin;

import io.statefulset.agent.replication.dialect.SqlCommand;
import io.statefulset.agent.common.secret.Secret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts CLONE needs, made on the primary (replication and every later clone carry them to each pod, so any
 * pod can be a donor): the donor account {@code '<clone-user>'@'%'} with {@code BACKUP_ADMIN}, and
 * {@code CLONE_ADMIN} for the local user serve runs CLONE as on a recipient. A missing account is created with
 * the clone password, a missing privilege granted; nothing else of an existing account is changed.
 */
public final class CloneAccounts {
    private static final Logger log = LoggerFactory.getLogger(CloneAccounts.class);

    private CloneAccounts() {}

    /** @return what was done, for the log */
    public static String ensure(Connection c, String donorUser, Optional<Secret> donorPassword, String recipientUser) throws SQLException {
        List<String> done = new ArrayList<>();
        if (hosts(c, donorUser).stream().noneMatch("%"::equals)) {
            SqlCommand.Builder create = SqlCommand.builder("CREATE USER IF NOT EXISTS ").literal(donorUser, "the clone user").text("@'%'");
            donorPassword.filter(p -> !p.isEmpty()).ifPresent(p -> create.text(" IDENTIFIED BY ").secret(p, "the clone password"));
            run(c, create.build());
            done.add("created '" + donorUser + "'@'%'");
            if (donorPassword.isEmpty() || donorPassword.get().isEmpty()) {
                log.warn("clone user '{}'@'%' was created WITHOUT a password: set AGENT_CLONE_PASSWORD or --clone-password-file"
                        + " from a Secret", donorUser);
            }
        }
        if (!granted(c, donorUser, "%", "BACKUP_ADMIN")) {
            run(c, grant("BACKUP_ADMIN", donorUser, "%"));
            done.add("granted BACKUP_ADMIN to '" + donorUser + "'@'%'");
        }
        for (String host : hosts(c, recipientUser)) {
            if (!granted(c, recipientUser, host, "CLONE_ADMIN")) {
                run(c, grant("CLONE_ADMIN", recipientUser, host));
                done.add("granted CLONE_ADMIN to '" + recipientUser + "'@'" + host + "'");
            }
        }
        return done.isEmpty() ? "clone accounts in place ('" + donorUser + "'@'%' has BACKUP_ADMIN, '" + recipientUser
                + "' has CLONE_ADMIN)" : String.join(", ", done);
    }

    private static SqlCommand grant(String privilege, String user, String host) {
        return SqlCommand.builder("GRANT " + privilege + " ON *.* TO ").literal(user, "the user").text("@")
                .literal(host, "the account host").build();
    }

    private static List<String> hosts(Connection c, String user) throws SQLException {
        List<String> hosts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT Host FROM mysql.user WHERE User = ? ORDER BY Host")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) hosts.add(rs.getString(1));
            }
        }
        return hosts;
    }

    private static boolean granted(Connection c, String user, String host, String privilege) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM mysql.global_grants WHERE USER = ? AND HOST = ? AND PRIV = ?")) {
            ps.setString(1, user);
            ps.setString(2, host);
            ps.setString(3, privilege);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    private static void run(Connection c, SqlCommand cmd) throws SQLException {
        long t0 = System.nanoTime();
        cmd.execute(c);
        log.info("{} ({} ms)", cmd.display(), (System.nanoTime() - t0) / 1_000_000);
    }
}

package io.statefulset.agent.cloneplugin;

import io.statefulset.agent.clone.DonorFailedException;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.clone.DonorUnreachableException;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.replication.dialect.ServerVersion;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.mysql.ClonePluginStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * Logs in to a donor's mysqld with the clone account before CLONE runs, so that the usual failures get a message
 * naming the donor and the fix instead of the recipient's generic "Clone Donor Error": not up yet (worth waiting
 * for), wrong password, MariaDB or an old MySQL, another point release, no CLONE plugin, no BACKUP_ADMIN.
 */
final class DonorProbe {
    private final String user;
    private final Optional<Secret> password;
    private final boolean requireSsl;
    private final Duration connectTimeout;

    DonorProbe(String user, Optional<Secret> password, boolean requireSsl, Duration connectTimeout) {
        this.user = user;
        this.password = password;
        this.requireSsl = requireSsl;
        this.connectTimeout = connectTimeout;
    }

    /** @return the donor's version, once it is known to be able to clone into {@code recipient} */
    ServerVersion check(HostPort donor, ServerVersion recipient) throws DonorUnreachableException, DonorFailedException {
        Properties p = new Properties();
        p.setProperty("user", user);
        password.ifPresent(s -> p.setProperty("password", s.reveal()));
        p.setProperty("connectTimeout", String.valueOf(connectTimeout.toMillis()));
        p.setProperty("socketTimeout", String.valueOf(Math.max(10_000, connectTimeout.toMillis() * 2)));
        p.setProperty("sslMode", requireSsl ? "REQUIRED" : "PREFERRED");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("connectionAttributes", "program_name:mysql-statefulset-agent");
        try (Connection c = DriverManager.getConnection("jdbc:mysql://" + donor + "/", p)) {
            ServerVersion v = ServerVersion.of(c);
            Optional<String> refused = CloneCompatibility.refusal(v, recipient);
            if (refused.isPresent()) throw new DonorFailedException(FailureCause.REFUSED, "donor " + donor + ": " + refused.get());
            String plugin = ClonePluginStatus.of(c);
            if (!"ACTIVE".equalsIgnoreCase(plugin)) {
                throw new DonorFailedException(FailureCause.REFUSED, "donor " + donor + " (" + v + ") has no active CLONE plugin (" + (plugin.isEmpty()
                        ? "not installed" : plugin) + "): add plugin-load-add=mysql_clone.so to its config and restart it");
            }
            if (!hasPrivilege(c, "BACKUP_ADMIN")) {
                throw new DonorFailedException(FailureCause.REFUSED, "donor " + donor + ": the clone user '" + user + "' lacks BACKUP_ADMIN"
                        + " (serve on the primary grants it when it creates the account; or GRANT BACKUP_ADMIN ON *.* TO it)");
            }
            return v;
        } catch (SQLException e) {
            if ("28000".equals(e.getSQLState())) {
                throw new DonorFailedException(FailureCause.REFUSED, "donor " + donor + " refused the clone user '" + user + "': " + e.getMessage()
                        + " (check AGENT_CLONE_PASSWORD / --clone-password-file against the account on the primary)", e);
            }
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw new DonorUnreachableException("mysqld " + donor + " does not accept connections yet ("
                        + firstLine(e) + ")", e);
            }
            throw new DonorFailedException(FailureCause.REFUSED, "donor " + donor + ": checking it before the clone failed: " + firstLine(e)
                    + " (check the donor's mysqld and the clone user's grants)", e);
        }
    }

    /** Dynamic privileges are listed by name in {@code SHOW GRANTS} (a role's grants are not followed). */
    private static boolean hasPrivilege(Connection c, String privilege) throws SQLException {
        java.util.regex.Pattern named = java.util.regex.Pattern.compile("(^GRANT |,\\s*)" + privilege + "\\s*(,| ON )");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS")) {
            while (rs.next()) {
                String g = rs.getString(1).toUpperCase(java.util.Locale.ROOT);
                if (g.contains(" ON *.* ") && named.matcher(g).find()) return true;
            }
            return false;
        }
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

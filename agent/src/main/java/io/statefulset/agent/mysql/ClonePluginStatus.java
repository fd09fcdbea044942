package io.statefulset.agent.mysql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The CLONE plugin's state as a server reports it in {@code information_schema.PLUGINS}: asked of the recipient
 * before a CLONE, of the donor it clones from, and of the local server when a peer asks {@code /status}.
 */
public final class ClonePluginStatus {
    private ClonePluginStatus() {}

    /** @return {@code PLUGIN_STATUS} ({@code ACTIVE}, {@code DISABLED}, ...), or "" when the plugin is not installed */
    public static String of(Connection c) throws SQLException {
        return of(c, 0);
    }

    /** @param queryTimeoutSeconds as {@link Statement#setQueryTimeout}: 0 waits as long as it takes */
    public static String of(Connection c, int queryTimeoutSeconds) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(queryTimeoutSeconds);
            try (ResultSet rs = s.executeQuery("SELECT PLUGIN_STATUS FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'clone'")) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    public static boolean active(Connection c) throws SQLException {
        return active(c, 0);
    }

    public static boolean active(Connection c, int queryTimeoutSeconds) throws SQLException {
        return "ACTIVE".equalsIgnoreCase(of(c, queryTimeoutSeconds));
    }
}

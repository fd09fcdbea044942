package io.statefulset.agent.replication.dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@link SqlLiteral} escapes backslashes, which is only right when the session interprets them; a server
 * configured with {@code sql_mode=NO_BACKSLASH_ESCAPES} would store a password with a doubled backslash. The mode
 * is dropped for this session only.
 */
public final class BackslashEscapes {
    private BackslashEscapes() {}

    public static void ensure(Connection c) throws SQLException {
        String mode;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@SESSION.sql_mode")) {
            rs.next();
            mode = rs.getString(1) == null ? "" : rs.getString(1);
        }
        if (!mode.toUpperCase().contains("NO_BACKSLASH_ESCAPES")) return;
        String without = Arrays.stream(mode.split(","))
                .filter(m -> !m.trim().equalsIgnoreCase("NO_BACKSLASH_ESCAPES"))
                .collect(Collectors.joining(","));
        SqlCommand.bound("SET SESSION sql_mode = ?", without).execute(c);
    }
}

package io.statefulset.agent.cloneplugin;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the local server may be overwritten by a clone: CLONE drops every user schema of the recipient, so it is
 * only run on a server that never held data of its own (no user schema, no transaction in {@code gtid_executed}),
 * which is what a mysqld that just initialised an empty data dir looks like.
 */
public record ServerContents(List<String> userSchemas, String gtidExecuted) {
    public ServerContents {
        userSchemas = List.copyOf(userSchemas);
    }

    public static ServerContents read(Connection c) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN"
                    + " ('mysql', 'sys', 'information_schema', 'performance_schema') ORDER BY SCHEMA_NAME")) {
                while (rs.next()) schemas.add(rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_executed")) {
                rs.next();
                String g = rs.getString(1);
                return new ServerContents(schemas, g == null ? "" : g.replaceAll("\\s+", ""));
            }
        }
    }

    public boolean fresh() {
        return userSchemas.isEmpty() && gtidExecuted.isEmpty();
    }

    /** Why it is not fresh, for the log line that says the clone was not run. */
    public String describe() {
        if (fresh()) return "no user schema, empty gtid_executed";
        StringBuilder sb = new StringBuilder();
        if (!userSchemas.isEmpty()) sb.append("user schemas ").append(String.join(", ", userSchemas.subList(0, Math.min(5, userSchemas.size()))))
                .append(userSchemas.size() > 5 ? ", ..." : "");
        if (!gtidExecuted.isEmpty()) sb.append(sb.length() > 0 ? "; " : "").append("gtid_executed ").append(gtidExecuted);
        return sb.toString();
    }
}

package io.statefulset.agent.replication.dialect;

import io.statefulset.agent.common.secret.Secret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One statement for the local mysqld, with the text that may be logged: a password inside the statement is shown
 * as {@code '****'}, and an error message that echoes the statement ("...near 'secret'...") is scrubbed before it
 * travels further. Values are either bound ({@code ?}) or went through {@link SqlLiteral}; nothing else is pasted.
 */
public final class SqlCommand {
    private final String sql;
    private final List<String> parameters;
    private final String display;
    private final List<String> secrets;

    private SqlCommand(String sql, List<String> parameters, String display, List<String> secrets) {
        this.sql = sql;
        this.parameters = List.copyOf(parameters);
        this.display = display;
        this.secrets = List.copyOf(secrets);
    }

    /** A statement without values. */
    public static SqlCommand of(String sql) {
        return new SqlCommand(sql, List.of(), sql, List.of());
    }

    /** A statement whose {@code ?} placeholders are bound, in order, to {@code values} (not secret). */
    public static SqlCommand bound(String sql, String... values) {
        StringBuilder shown = new StringBuilder(sql).append(" [");
        for (int i = 0; i < values.length; i++) shown.append(i == 0 ? "" : ", ").append(SqlLiteral.quote(values[i], "a bound value"));
        return new SqlCommand(sql, List.of(values), shown.append(']').toString(), List.of());
    }

    public static Builder builder(String start) {
        return new Builder(start);
    }

    /** The statement exactly as mysqld receives it (may contain a password: never log it, use {@link #display()}). */
    public String sql() {
        return sql;
    }

    public List<String> parameters() {
        return parameters;
    }

    /** The statement with secrets masked, for logs and error messages. */
    public String display() {
        return display;
    }

    public void execute(Connection c) throws SQLException {
        try {
            if (parameters.isEmpty()) {
                try (Statement s = c.createStatement()) {
                    s.execute(sql);
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < parameters.size(); i++) ps.setString(i + 1, parameters.get(i));
                    ps.execute();
                }
            }
        } catch (SQLException e) {
            // The driver's message and its cause chain may quote the statement; only the scrubbed text travels on.
            throw new SQLException(display + " failed: " + scrub(e.getMessage()), e.getSQLState(), e.getErrorCode());
        }
    }

    String scrub(String message) {
        if (message == null) return "(no message)";
        String out = message;
        for (String s : secrets) {
            if (!s.isEmpty()) out = out.replace(s, "****");
        }
        return out;
    }

    @Override
    public String toString() {
        return display;
    }

    /** Builds the real text and the displayed text side by side so that they cannot drift apart. */
    public static final class Builder {
        private final StringBuilder sql;
        private final StringBuilder display;
        private final List<String> secrets = new ArrayList<>();

        private Builder(String start) {
            sql = new StringBuilder(start);
            display = new StringBuilder(start);
        }

        public Builder text(String text) {
            sql.append(text);
            display.append(text);
            return this;
        }

        public Builder literal(String value, String what) {
            return text(SqlLiteral.quote(value, what));
        }

        public Builder secret(Secret secret, String what) {
            String value = secret.reveal();
            String quoted = SqlLiteral.quote(value, what);
            sql.append(quoted);
            display.append("'****'");
            secrets.add(quoted.substring(1, quoted.length() - 1));
            secrets.add(value);
            return this;
        }

        public SqlCommand build() {
            // Longest first, so that the escaped form is masked whole before the raw form is looked for.
            secrets.sort((a, b) -> b.length() - a.length());
            return new SqlCommand(sql.toString(), List.of(), display.toString(), secrets);
        }
    }
}

package io.statefulset.agent.replication.dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local server's flavor and version, from {@code SELECT VERSION()} ({@code 10.11.19-MariaDB-0+deb12u1-log},
 * {@code 8.4.3}). JDBC metadata is not used: for MariaDB it reports the {@code 5.5.5-} compatibility prefix.
 */
public record ServerVersion(Flavor flavor, int major, int minor, int patch, String text) {
    public enum Flavor { MYSQL, MARIADB }

    private static final Pattern NUMBERS = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    public static ServerVersion parse(String text) {
        if (text == null) throw new IllegalArgumentException("server version is missing");
        boolean mariadb = text.toLowerCase(Locale.ROOT).contains("mariadb");
        // MariaDB's replication handshake prefix; VERSION() does not show it, some proxies do.
        String numbers = mariadb && text.startsWith("5.5.5-") ? text.substring(6) : text;
        Matcher m = NUMBERS.matcher(numbers);
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("cannot read a version number from server version '" + text + "'");
        }
        return new ServerVersion(mariadb ? Flavor.MARIADB : Flavor.MYSQL,
                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), text);
    }

    public static ServerVersion of(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            return parse(rs.getString(1));
        }
    }

    public boolean isMariaDb() {
        return flavor == Flavor.MARIADB;
    }

    public boolean atLeast(int major, int minor, int patch) {
        if (this.major != major) return this.major > major;
        if (this.minor != minor) return this.minor > minor;
        return this.patch >= patch;
    }

    @Override
    public String toString() {
        return (isMariaDb() ? "MariaDB " : "MySQL ") + major + "." + minor + "." + patch;
    }
}

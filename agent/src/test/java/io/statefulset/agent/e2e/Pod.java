package io.statefulset.agent.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pod of a {@link LocalCluster}, reached from the test JVM the way a client outside the pod would: its mysqld
 * over TCP, its agent over HTTP, and its files (data dir, logs) on the host.
 */
record Pod(int ordinal, String host, int mysqlPort, int agentPort, Path dataDir, Path logDir, String password) {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(2)).build();

    String name() {
        return "mysql-" + ordinal;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "root", password);
    }

    String jdbcUrl() {
        return "jdbc:mysql://" + host + ":" + mysqlPort + "/?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=3000&socketTimeout=60000";
    }

    void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }

    /** The first column of every row. */
    List<String> query(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }

    String queryOne(String sql) throws SQLException {
        List<String> rows = query(sql);
        if (rows.size() != 1) throw new IllegalStateException(name() + ": " + sql + " returned " + rows.size() + " rows");
        return rows.get(0);
    }

    /** SHOW SLAVE STATUS as column -> value; empty on a server that replicates from nobody. */
    Map<String, String> slaveStatus() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            Map<String, String> out = new LinkedHashMap<>();
            if (!rs.next()) return out;
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) out.put(md.getColumnLabel(i), rs.getString(i));
            return out;
        }
    }

    /** Both replication threads running and the SQL thread caught up with what the IO thread fetched. */
    boolean replicating() throws SQLException {
        Map<String, String> st = slaveStatus();
        return "Yes".equals(st.get("Slave_IO_Running")) && "Yes".equals(st.get("Slave_SQL_Running"));
    }

    String checksum(String table) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CHECKSUM TABLE " + table)) {
            if (!rs.next()) throw new IllegalStateException(name() + ": CHECKSUM TABLE " + table + " returned nothing");
            return rs.getString(2);
        }
    }

    /** HTTP status of the agent's endpoint, 0 when nothing answers. */
    int http(String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host + ":" + agentPort + path))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    String httpBody(String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host + ":" + agentPort + path))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body().strip();
        } catch (IOException e) {
            return "no answer (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** logs/mysql-N/NAME.log, or "" before the container first ran. */
    String log(String container) {
        try {
            Path f = logDir.resolve(container + ".log");
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + container + ".log of " + name() + ": " + e, e);
        }
    }

    /** The part of a container's log written since it was last started (the tool writes a banner per start). */
    String lastRunLog(String container) {
        String all = log(container);
        int i = all.lastIndexOf("---- local-cluster: starting");
        return i < 0 ? all : all.substring(i);
    }

    boolean hasInitializedData() {
        return Files.isDirectory(dataDir.resolve("mysql"));
    }
}

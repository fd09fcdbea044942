package io.statefulset.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real database server of one {@link ServerFlavor} in a temp dir on a free port: {@code mariadbd} or
 * {@code mysqld} started as a plain process, always with {@code --no-defaults} so that /etc/mysql never leaks in,
 * with {@code --log-bin}, row binlogs, a {@code --server-id} and (MySQL) {@code gtid_mode=ON}. root has no password
 * and may connect from anywhere (replicas and backup tools connect over TCP from "other hosts").
 *
 * <p>Tests get servers from {@link DatabaseServerExtension}, which stops them and deletes their files; a test
 * that needs a server on an existing data dir (a clone's result) uses {@link DatabaseServerExtension#startOn}.
 */
public final class DatabaseServer implements AutoCloseable {
    private final ServerFlavor flavor;
    private final Path dataDir;
    private final Path runDir;
    private final int port;
    private final int serverId;
    private final List<String> extraArgs;
    /** Null: the server runs as the JVM's user. */
    private final Account account;
    private Process process;

    /** A uid:gid for the server and its files, like the mysql user (999) of the server images. */
    public record Account(int uid, int gid) {}

    /** Replicas and backup tools connect over TCP, as from other hosts. */
    private static final List<String> ROOT_ANYWHERE =
            List.of("CREATE USER IF NOT EXISTS 'root'@'%'", "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION");

    private DatabaseServer(ServerFlavor flavor, Path dataDir, Path runDir, int port, int serverId, List<String> extraArgs,
                           Account account) {
        this.flavor = flavor;
        this.account = account;
        this.dataDir = dataDir;
        this.runDir = runDir;
        this.port = port;
        this.serverId = serverId;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Debian's MariaDB 10.11 on a new data dir under {@code base}; see {@link #fresh(ServerFlavor, Path, int, String...)}. */
    public static DatabaseServer fresh(Path base, int serverId, String... extraArgs) throws IOException, InterruptedException {
        return fresh(ServerFlavor.MARIADB_10_11, base, serverId, extraArgs);
    }

    /**
     * Initialises an empty data dir in {@code base/data} (system tables, root@localhost and root@% without
     * password) and starts the server on it. {@code extraArgs} come last on the command line, so they override.
     */
    public static DatabaseServer fresh(ServerFlavor flavor, Path base, int serverId, String... extraArgs)
            throws IOException, InterruptedException {
        return fresh(flavor, base, serverId, null, extraArgs);
    }

    /**
     * A fresh MariaDB 10.11, but every file under {@code base} is owned by {@code account} and the server runs as it
     * (the JVM must be root): what a container running as that uid sees of the server in a pod.
     */
    public static DatabaseServer freshAs(Account account, Path base, int serverId, String... extraArgs)
            throws IOException, InterruptedException {
        return fresh(ServerFlavor.MARIADB_10_11, base, serverId, account, extraArgs);
    }

    private static DatabaseServer fresh(ServerFlavor flavor, Path base, int serverId, Account account, String... extraArgs)
            throws IOException, InterruptedException {
        Path dataDir = base.resolve("data");
        // A private tmpdir: helpers share /tmp but not PID namespaces, and mariadbd names its temp tables
        // #sql-temptable-<pid>-..., so two servers with the same pid delete each other's files.
        Path tmp = Files.createDirectories(base.resolve("tmp"));
        // mysqld --initialize refuses an existing data dir; mariadb-install-db creates it if needed.
        if (flavor.isMariaDb()) Files.createDirectories(dataDir);
        Path rootAnywhere = Files.writeString(base.resolve("root-anywhere.sql"), String.join(";\n", ROOT_ANYWHERE) + ";\n");
        ExternalCommand.succeed(flavor.initializeCommand(dataDir, tmp, rootAnywhere), base.resolve("install.log"));
        Files.createDirectories(base.resolve("run"));
        if (account != null) chown(base, account);
        DatabaseServer db = new DatabaseServer(flavor, dataDir, base.resolve("run"), freePort(), serverId, List.of(extraArgs), account);
        db.start();
        if (flavor.isMariaDb()) db.execute(ROOT_ANYWHERE.toArray(String[]::new));
        return db;
    }

    /** A MariaDB 10.11 server for an existing data dir; call {@link #start()}. */
    public static DatabaseServer onDataDir(Path dataDir, Path runDir, int serverId, String... extraArgs) throws IOException {
        return onDataDir(ServerFlavor.MARIADB_10_11, dataDir, runDir, serverId, extraArgs);
    }

    /** A server for an existing data dir (for example one that a clone produced) on a free port; call {@link #start()}. */
    public static DatabaseServer onDataDir(ServerFlavor flavor, Path dataDir, Path runDir, int serverId, String... extraArgs)
            throws IOException {
        Files.createDirectories(runDir);
        return new DatabaseServer(flavor, dataDir, runDir, freePort(), serverId, List.of(extraArgs), null);
    }

    /** A MariaDB 10.11 server for a data dir {@code account} owns; it runs as that account (the JVM must be root). */
    public static DatabaseServer onDataDirAs(Account account, Path dataDir, Path runDir, int serverId, String... extraArgs)
            throws IOException {
        Files.createDirectories(runDir);
        chown(runDir, account);
        return new DatabaseServer(ServerFlavor.MARIADB_10_11, dataDir, runDir, freePort(), serverId, List.of(extraArgs), account);
    }

    private static void chown(Path tree, Account account) throws IOException {
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : walk.toList()) {
                Files.setAttribute(p, "unix:uid", account.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", account.gid(), LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public void start() throws IOException, InterruptedException {
        Path tmp = Files.createDirectories(runDir.resolve("tmp"));
        if (account != null) chown(tmp, account);
        List<String> cmd = new ArrayList<>();
        if (account != null) {
            // setpriv execs the server: the process is the server itself, and stop() signals it.
            cmd.addAll(List.of("setpriv", "--reuid=" + account.uid(), "--regid=" + account.gid(), "--clear-groups"));
        }
        cmd.addAll(List.of(flavor.mysqld().toString(), "--no-defaults"));
        if (account == null) cmd.add("--user=" + System.getProperty("user.name"));
        cmd.addAll(List.of("--tmpdir=" + tmp,
                "--datadir=" + dataDir, "--port=" + port, "--socket=" + runDir.resolve("mysqld.sock"),
                "--pid-file=" + runDir.resolve("mysqld.pid"), "--log-error=" + runDir.resolve("error.log"),
                "--bind-address=127.0.0.1", "--server-id=" + serverId, "--log-bin=mysql-bin",
                "--binlog-format=ROW", "--innodb-buffer-pool-size=32M",
                "--skip-name-resolve", "--performance-schema=OFF"));
        cmd.addAll(flavor.serverOptions());
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(runDir.resolve("stdout.log").toFile()).start();
        awaitReady();
    }

    /** Polls with a JDBC connect until the server answers; fails with the error log if it exits or never answers. */
    private void awaitReady() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(flavor + " exited with " + process.exitValue() + ": " + errorLogTail());
            }
            try (Connection c = connect()) {
                return;
            } catch (SQLException e) {
                // Access denied / host not allowed: the server is up and will not change its mind.
                if (e.getErrorCode() == 1045 || e.getErrorCode() == 1130) {
                    throw new IllegalStateException(flavor + " on port " + port + " refused root: " + e.getMessage(), e);
                }
                last = e;
            }
            process.waitFor(50, TimeUnit.MILLISECONDS); // wakes at once if the server dies
        }
        throw new IllegalStateException(flavor + " did not answer on port " + port + " in 60 s: " + last + "\n" + errorLogTail());
    }

    public String errorLogTail() throws IOException {
        Path log = runDir.resolve("error.log");
        if (!Files.exists(log)) return "(no error log)";
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "root", "");
    }

    public String jdbcUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=2000";
    }

    public void execute(String... statements) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row, as strings. */
    public List<String> query(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on port " + port + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The value column of {@code CHECKSUM TABLE} (its first column is the table's name); fails if the table is missing. */
    public String checksum(String table) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CHECKSUM TABLE " + table)) {
            if (!rs.next()) throw new IllegalStateException("CHECKSUM TABLE " + table + " returned nothing on port " + port);
            String value = rs.getString(2);
            if (value == null) throw new IllegalStateException(table + " does not exist on port " + port);
            return value;
        } catch (SQLException e) {
            throw new IllegalStateException("CHECKSUM TABLE " + table + " failed on port " + port + ": " + e.getMessage(), e);
        }
    }

    public String queryOne(String sql) {
        List<String> rows = query(sql);
        if (rows.size() != 1) throw new IllegalStateException(sql + " returned " + rows.size() + " rows");
        return rows.get(0);
    }

    public ServerFlavor flavor() { return flavor; }
    public int port() { return port; }
    public int serverId() { return serverId; }
    public Path dataDir() { return dataDir; }
    public Path runDir() { return runDir; }
    public boolean isRunning() { return process != null && process.isAlive(); }
    public Process process() { return process; }

    /** Clean shutdown (SIGTERM), so that the data dir can be backed up or reused. */
    public void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        process = null;
    }

    /** Hard kill, for fault tests. */
    public void kill() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly().waitFor();
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

}

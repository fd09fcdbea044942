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
 * A real {@code mariadbd} (Debian's MariaDB 10.11) in a temp dir on a free port. Always started with
 * {@code --no-defaults} so that /etc/mysql never leaks in. Tests that need a server get one from
 * {@link MariaDbExtension}; tests that need more (a replica started on a cloned data dir) call
 * {@link #onDataDir}.
 */
public final class MariaDb implements AutoCloseable {
    private final Path dataDir;
    private final Path runDir;
    private final int port;
    private final int serverId;
    private final List<String> extraArgs;
    /** Null: mariadbd runs as the JVM's user. */
    private final Account account;
    private Process process;

    /** A uid:gid for mariadbd and its files, like the mysql user (999) of the server images. */
    public record Account(int uid, int gid) {}

    private MariaDb(Path dataDir, Path runDir, int port, int serverId, List<String> extraArgs, Account account) {
        this.dataDir = dataDir;
        this.runDir = runDir;
        this.port = port;
        this.serverId = serverId;
        this.extraArgs = List.copyOf(extraArgs);
        this.account = account;
    }

    /** Initialises an empty data dir under {@code base} (system tables, root@localhost and root@% without password). */
    public static MariaDb fresh(Path base, int serverId, String... extraArgs) throws IOException, InterruptedException {
        return fresh(base, serverId, null, extraArgs);
    }

    /**
     * {@link #fresh}, but every file under {@code base} is owned by {@code account} and mariadbd runs as it (the JVM
     * must be root): what a container running as that uid sees of the server in a pod.
     */
    public static MariaDb freshAs(Account account, Path base, int serverId, String... extraArgs)
            throws IOException, InterruptedException {
        return fresh(base, serverId, account, extraArgs);
    }

    private static MariaDb fresh(Path base, int serverId, Account account, String... extraArgs)
            throws IOException, InterruptedException {
        Path dataDir = base.resolve("data");
        Files.createDirectories(dataDir);
        // A private tmpdir: helpers share /tmp but not PID namespaces, and mariadbd names its temp tables
        // #sql-temptable-<pid>-..., so two servers with the same pid delete each other's files.
        Path tmp = Files.createDirectories(base.resolve("tmp"));
        run(List.of("mariadb-install-db", "--no-defaults", "--user=" + System.getProperty("user.name"),
                "--datadir=" + dataDir, "--auth-root-authentication-method=normal", "--skip-test-db", "--tmpdir=" + tmp),
                base.resolve("install.log"));
        Files.createDirectories(base.resolve("run"));
        if (account != null) chown(base, account);
        MariaDb db = new MariaDb(dataDir, base.resolve("run"), freePort(), serverId, List.of(extraArgs), account);
        db.start();
        // Replicas and the backup tool connect over TCP from "other hosts".
        db.execute("CREATE USER IF NOT EXISTS 'root'@'%'", "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION");
        return db;
    }

    /** A server for an existing data dir (for example one that a clone produced); call {@link #start()}. */
    public static MariaDb onDataDir(Path dataDir, Path runDir, int serverId, String... extraArgs) throws IOException {
        Files.createDirectories(runDir);
        return new MariaDb(dataDir, runDir, freePort(), serverId, List.of(extraArgs), null);
    }

    /** {@link #onDataDir} for a data dir {@code account} owns; mariadbd runs as it (the JVM must be root). */
    public static MariaDb onDataDirAs(Account account, Path dataDir, Path runDir, int serverId, String... extraArgs)
            throws IOException {
        Files.createDirectories(runDir);
        chown(runDir, account);
        return new MariaDb(dataDir, runDir, freePort(), serverId, List.of(extraArgs), account);
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
            // setpriv execs mariadbd: the process is the server itself, and stop() signals it.
            cmd.addAll(List.of("setpriv", "--reuid=" + account.uid(), "--regid=" + account.gid(), "--clear-groups"));
        }
        cmd.addAll(List.of("mariadbd", "--no-defaults"));
        if (account == null) cmd.add("--user=" + System.getProperty("user.name"));
        cmd.addAll(List.of("--tmpdir=" + tmp,
                "--datadir=" + dataDir, "--port=" + port, "--socket=" + runDir.resolve("mysqld.sock"),
                "--pid-file=" + runDir.resolve("mysqld.pid"), "--log-error=" + runDir.resolve("error.log"),
                "--bind-address=127.0.0.1", "--server-id=" + serverId, "--log-bin=mysql-bin",
                "--binlog-format=ROW", "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M",
                "--skip-name-resolve", "--performance-schema=OFF"));
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
                throw new IllegalStateException("mariadbd exited with " + process.exitValue() + ": " + errorLogTail());
            }
            try (Connection c = connect()) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            process.waitFor(50, TimeUnit.MILLISECONDS); // wakes at once if the server dies
        }
        throw new IllegalStateException("mariadbd did not answer on port " + port + " in 60 s: " + last + "\n" + errorLogTail());
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

    private static void run(List<String> cmd, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + Files.readString(log));
        }
    }

    /** Whether the Debian MariaDB packages this project tests against are installed. */
    public static boolean installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "mariadbd"))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin/mariadbd"));
    }
}

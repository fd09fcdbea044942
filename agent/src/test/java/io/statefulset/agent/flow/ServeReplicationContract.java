package io.statefulset.agent.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statefulset.agent.replication.ReplicationMarker;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.LogCapture;
import io.statefulset.agent.testing.ServerFlavor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code agent serve}'s replication behaviour against one real flavor (a subclass per flavor): a real primary
 * with serve creating the replication user, and replicas seeded with a copy of the stopped primary's data dir
 * (without binlogs or {@code auto.cnf}, as a backup tool leaves it) plus the info file the backup tool would have
 * written. What each replica received is read back from the replica's own general log, not from the agent's log.
 *
 * <p>The primary and its snapshot are shared by the class; each test starts its own replica.
 */
abstract class ServeReplicationContract {
    static final String PASSWORD = "r3pl-Pa55";
    static final Duration READY = Duration.ofSeconds(60);

    private static DatabaseServerExtension servers;
    private static DatabaseServer primary;
    private static InProcessServe primaryServe;
    private static Path snapshot;
    /** The primary's binlog coordinates and GTID state when the snapshot was taken. */
    private static String binlogFile;
    private static long binlogPos;
    private static String gtid;
    /** The GTID state as the server prints it (MySQL: a line break after each comma), as the backup tool writes it. */
    private static String gtidAsWritten;
    private static int nextRow = 100;
    private static int nextServerId = 101;

    /** Starts the primary of {@code extension}'s flavor and its serve, and takes the snapshot. */
    static void startPrimary(DatabaseServerExtension extension) throws Exception {
        servers = extension;
        primary = servers.start(100);
        primaryServe = InProcessServe.start(DatabaseServer.freePort(), env(servers.tempDir("primary-tmp-")),
                "--hostname", "mysql-0", "--mysql-port", Integer.toString(primary.port()), "--data-dir",
                primary.dataDir().toString(), "--replication-user", "repl", "--mysql-wait", "30s");
        await("serve on the primary creating 'repl'@'%'").atMost(READY).until(() ->
                primary.queryOne("SELECT COUNT(*) FROM mysql.user WHERE User = 'repl' AND Host = '%'").equals("1"));
        primary.execute("CREATE DATABASE app", "CREATE TABLE app.messages (id INT PRIMARY KEY, message VARCHAR(64))",
                "INSERT INTO app.messages VALUES (1, 'hello'), (2, 'from'), (3, 'the primary')");
        if (primary.flavor().isMysql()) {
            // A transaction that came from another server (a former primary): the GTID set has two UUIDs, which
            // MySQL prints, and the backup tools write, with a line break after the comma.
            primary.execute("SET GTID_NEXT = 'a7d2c8e4-0000-4000-8000-00000000f00d:1'", "BEGIN", "COMMIT", "SET GTID_NEXT = 'AUTOMATIC'");
        }
        Map<String, String> status = row(primary, "SHOW MASTER STATUS");
        binlogFile = status.get("File");
        binlogPos = Long.parseLong(status.get("Position"));
        gtidAsWritten = primary.flavor().isMariaDb() ? primary.queryOne("SELECT @@GLOBAL.gtid_binlog_pos")
                : primary.queryOne("SELECT @@GLOBAL.gtid_executed");
        gtid = gtidAsWritten.replaceAll("\\s+", "");
        if (primary.flavor().isMysql() && !gtidAsWritten.contains(",\n")) {
            throw new AssertionError("expected a two-UUID GTID set broken after the comma, got " + gtidAsWritten);
        }
        primary.stop();
        snapshot = servers.tempDir("snapshot-").resolve("data");
        ColdBackup.of(primary.dataDir(), snapshot);
        primary.start();
    }

    @AfterAll
    static void stopPrimaryServe() throws Exception {
        if (primaryServe != null) primaryServe.stop();
        primaryServe = null;
    }

    abstract ServerFlavor flavor();

    // ---- the behaviour --------------------------------------------------------------------------------------

    @Test
    void gtidPositionFromTheBinlogInfoFileConfiguredOnceAcrossRestartsReadinessFollowsLag() throws Exception {
        Replica r = seed("xtrabackup_binlog_info", binlogFile + "\t" + binlogPos + "\t" + gtidAsWritten + "\n");
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = r.serve()) {
            awaitReplicating(serve, logs, "replication setup: CONFIGURED", r.db);
            assertReceivedChangeAndStart(r.db, flavor().isMariaDb() ? "MASTER_USE_GTID=slave_pos" : option("AUTO_POSITION=1"));
            // The gauges read the cached probe, which may predate the marker by one probe interval.
            awaitMetric(serve, "mysql_agent_replication_configured", 1.0);
            awaitMetric(serve, "mysql_agent_replication_io_running", 1.0);
            awaitMetric(serve, "mysql_agent_replication_sql_running", 1.0);
            awaitMetric(serve, "mysql_agent_mysql_up", 1.0);
            awaitMetric(serve, "mysql_agent_replication_lag_seconds", 0.0);
            assertReadOnly(r.db);
            Map<String, String> st = replicaStatus(r.db);
            assertEquals("repl", column(st, "Source_User", "Master_User"));
            assertEquals(String.valueOf(primary.port()), column(st, "Source_Port", "Master_Port"));
            // The agent keeps the server's TLS default: off on MySQL (caching_sha2_password then needs the source's
            // RSA key, GET_SOURCE_PUBLIC_KEY=1), required on MariaDB 11.4 (verified through the password).
            assertEquals(flavor() == ServerFlavor.MARIADB_11_4 ? "Yes" : "No", column(st, "Source_SSL_Allowed", "Master_SSL_Allowed"),
                    "TLS on the replication connection");

            // Lag: the global read lock held on the replica (what a backup tool takes; super_read_only refuses row
            // and table write locks) stops its SQL thread at the next commit while the source's clock moves on.
            try (Connection lock = r.db.connect(); Statement s = lock.createStatement()) {
                s.execute("FLUSH TABLES WITH READ LOCK");
                primary.execute("UPDATE app.messages SET message = 'while the replica is locked' WHERE id = 1");
                serve.awaitStatus("/readyz", 503, READY);
                String body = serve.get("/readyz").body();
                assertTrue(body.contains("behind the source"), body);
                s.execute("UNLOCK TABLES");
            }
            serve.awaitStatus("/readyz", 200, READY);

            r.db.execute(stopWords());
            serve.awaitStatus("/readyz", 503, READY);
            awaitMetric(serve, "mysql_agent_replication_io_running", 0.0);
            r.db.execute(startWords());
            serve.awaitStatus("/readyz", 200, READY);
            assertEquals(0, serve.stop());
        }

        // The sidecar and mysqld restart (a pod restart): nothing is configured again.
        r.db.stop();
        r.db.start();
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = r.serve()) {
            serve.awaitStatus("/readyz", 200, READY);
            logs.awaitLine("replication setup: ALREADY_CONFIGURED", READY);
            assertEquals(0, serve.stop());
        }
        List<String> changes = replicationStatements(r.db).stream().filter(q -> q.startsWith("CHANGE")).toList();
        assertEquals(1, changes.size(), "CHANGE statements after the restart: " + changes);
        assertRowArrives(r.db);
    }

    @Test
    void mysqlGtidsOfTheReplicasOwnAreReplacedByTheClonesSetUnderSuperReadOnly() throws Exception {
        assumeTrue(flavor().isMysql(), "MariaDB positions with gtid_slave_pos, which needs no reset");
        Replica r = seed("xtrabackup_binlog_info", binlogFile + "\t" + binlogPos + "\t" + gtid + "\n");
        // What a mysqld entrypoint's first start leaves on a restored data dir: a transaction of the replica's own.
        r.db.execute("SET GLOBAL super_read_only = OFF", "CREATE DATABASE local_only", "SET GLOBAL super_read_only = ON");
        assertTrue(!r.db.queryOne("SELECT @@GLOBAL.gtid_executed").replaceAll("\\s+", "").equals(gtid));
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = r.serve()) {
            awaitReplicating(serve, logs, "replication setup: CONFIGURED", r.db);
            assertEquals(0, serve.stop());
        }
        List<String> received = r.db.query("SELECT CONVERT(argument USING utf8mb4) FROM mysql.general_log"
                + " WHERE command_type = 'Query' AND argument LIKE 'SET GLOBAL %' ORDER BY event_time");
        assertTrue(received.stream().anyMatch(q -> q.startsWith("SET GLOBAL gtid_purged")), received.toString());
        assertReadOnly(r.db);
        String executed = r.db.queryOne("SELECT @@GLOBAL.gtid_executed").replaceAll("\\s+", "");
        assertTrue(executed.contains("a7d2c8e4-0000-4000-8000-00000000f00d:1"), "the clone's set was restored: " + executed);
        assertTrue(!executed.contains(r.db.queryOne("SELECT @@GLOBAL.server_uuid")), "the replica's own GTIDs were reset: " + executed);
    }

    @Test
    void filePositionFromABinlogInfoFileWithAnEmptyGtidBesideAZeroByteSlaveInfo() throws Exception {
        // A backup taken with --slave-info on a server that replicates from nobody leaves a 0-byte slave info.
        Replica r = seed("xtrabackup_binlog_info", binlogFile + "\t" + binlogPos + "\t\n", "xtrabackup_slave_info", "");
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = r.serve()) {
            awaitReplicating(serve, logs, "replication setup: CONFIGURED", r.db);
            assertReceivedChangeAndStart(r.db, option("LOG_FILE='" + binlogFile + "'"), option("LOG_POS=" + binlogPos));
            assertEquals(primary.checksum("app.messages"), r.db.checksum("app.messages"));
            assertEquals(0, serve.stop());
        }
    }

    @Test
    void aCloneOfAReplicaFollowsThePrimaryFromTheSlaveInfoFile() throws Exception {
        // The backup tool on a replica writes both: the slave info (the primary's coordinates) and the binlog info
        // with the replica's own coordinates, which the primary does not have; the slave info must win.
        Replica r = seed("xtrabackup_slave_info", slaveInfo(),
                "xtrabackup_binlog_info", "mysql-bin.000009\t4\t\n");
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = r.serve()) {
            serve.awaitStatus("/readyz", 200, READY);
            logs.awaitLine("from xtrabackup_slave_info", READY);
            assertRowArrives(r.db);
            List<String> received = replicationStatements(r.db);
            assertTrue(received.get(0).startsWith(changeWords()), received.toString());
            assertEquals(startWords(), received.get(received.size() - 1));
            assertEquals(0, serve.stop());
        }
    }

    @Test
    void theTutorialsPasswordlessRootReplicates() throws Exception {
        // The tutorial replicates as root without a password. MariaDB 11.4 verifies the source's self-signed
        // certificate through the password, so without one the agent has to turn that check off (found here).
        Replica r = seed("xtrabackup_binlog_info", binlogFile + "\t" + binlogPos + "\t\n");
        Map<String, String> env = env(r.tmp);
        env.remove("AGENT_REPLICATION_PASSWORD");
        List<String> args = new ArrayList<>(List.of(r.serveArgs()));
        args.set(args.indexOf("repl"), "root");
        try (LogCapture logs = LogCapture.start();
             InProcessServe serve = InProcessServe.start(DatabaseServer.freePort(), env, args.toArray(String[]::new))) {
            awaitReplicating(serve, logs, "replication setup: CONFIGURED", r.db);
            assertEquals("root", column(replicaStatus(r.db), "Source_User", "Master_User"));
            assertEquals(0, serve.stop());
        }
    }

    @Test
    void aReplicaSetUpByHandIsLeftAloneAndRecorded() throws Exception {
        Replica r = seed("xtrabackup_binlog_info", binlogFile + "\t" + binlogPos + "\t\n");
        r.db.execute(changeWords() + " " + option("HOST='127.0.0.1', ") + option("PORT=" + primary.port() + ", ")
                        + option("USER='repl', ") + option("PASSWORD='" + PASSWORD + "', ") + option("LOG_FILE='" + binlogFile + "', ")
                        + option("LOG_POS=" + binlogPos + ", ") + option("CONNECT_RETRY=33")
                        + (flavor() == ServerFlavor.MYSQL_8_0 ? ", GET_SOURCE_PUBLIC_KEY=1" : ""),
                startWords());
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = r.serve()) {
            awaitReplicating(serve, logs, "replication setup: ALREADY_REPLICATING", r.db);
            assertEquals(0, serve.stop());
        }
        assertEquals(1, replicationStatements(r.db).stream().filter(q -> q.startsWith("CHANGE")).count(), "only the hand-made CHANGE");
        assertEquals("33", column(replicaStatus(r.db), "Connect_Retry"), "the hand-made configuration is kept");
        assertTrue(Files.exists(r.db.dataDir().resolve(ReplicationMarker.CONFIGURED)), "the marker records it");
    }

    @Test
    void aSlaveInfoWithSeveralChannelsIsRefusedAndNothingIsApplied() throws Exception {
        // XtraBackup on a multi-source replica writes one statement per channel: the agent follows one source.
        Replica r = seed("xtrabackup_slave_info",
                "CHANGE MASTER TO MASTER_LOG_FILE='" + binlogFile + "', MASTER_LOG_POS=" + binlogPos + " FOR CHANNEL 'a';\n"
                        + "CHANGE MASTER TO MASTER_LOG_FILE='other-bin.000003', MASTER_LOG_POS=4 FOR CHANNEL 'b';\n");
        try (LogCapture logs = LogCapture.start(); InProcessServe serve = InProcessServe.launch(DatabaseServer.freePort(),
                env(r.tmp), r.serveArgs())) {
            assertEquals(1, serve.awaitExit(READY), "serve exits 1 when the setup is refused");
            String failure = logs.text().lines().filter(l -> l.contains("replication setup failed")).findFirst().orElse(logs.text());
            assertTrue(failure.contains("xtrabackup_slave_info") && failure.toLowerCase(Locale.ROOT).contains("channel"), failure);
        }
        assertEquals(List.of(), replicationStatements(r.db), "nothing was applied");
        assertTrue(row(r.db, flavor() == ServerFlavor.MYSQL_8_0 ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS", true).isEmpty());
        assertTrue(!Files.exists(r.db.dataDir().resolve(ReplicationMarker.CONFIGURED)), "no marker");
    }

    @Test
    void theReplicationUserIsCreatedOnThePrimaryWithTheServersDefaultPlugin() {
        String plugin = primary.queryOne("SELECT plugin FROM mysql.user WHERE User = 'repl' AND Host = '%'");
        String expected = switch (flavor()) {
            case MYSQL_8_0 -> "caching_sha2_password";
            case MYSQL_5_7 -> "mysql_native_password";
            case MARIADB_10_11, MARIADB_11_4 -> "mysql_native_password";
        };
        assertEquals(expected, plugin);
        String grants = String.join("\n", primary.query("SHOW GRANTS FOR 'repl'@'%'"));
        // MariaDB 10.5+ shows REPLICATION CLIENT by its new name.
        String client = flavor().isMariaDb() ? "BINLOG MONITOR" : "REPLICATION CLIENT";
        assertTrue(grants.contains("REPLICATION SLAVE") && grants.contains(client), grants);
    }

    /** The slave info a backup tool of this flavor writes on a replica positioned by binlog coordinates. */
    private String slaveInfo() {
        return switch (flavor()) {
            case MYSQL_8_0 -> "CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='" + binlogFile + "', SOURCE_LOG_POS=" + binlogPos + ";\n";
            // XtraBackup 2.4 on a GTID replica: the set, then auto-position, and no final semicolon.
            case MYSQL_5_7 -> "SET GLOBAL gtid_purged='" + gtidAsWritten + "';\nCHANGE MASTER TO MASTER_AUTO_POSITION=1";
            case MARIADB_10_11, MARIADB_11_4 -> "CHANGE MASTER TO MASTER_LOG_FILE='" + binlogFile + "', MASTER_LOG_POS=" + binlogPos + ";\n";
        };
    }

    // ---- the fixture ----------------------------------------------------------------------------------------

    /** A replica on a copy of the snapshot with the given info files, read-only as the replica cnf makes it. */
    private Replica seed(String... infoFiles) throws Exception {
        int serverId = nextServerId++;
        Path data = servers.tempDir("replica-" + serverId + "-").resolve("data");
        ColdBackup.copy(snapshot, data);
        for (int i = 0; i < infoFiles.length; i += 2) Files.writeString(data.resolve(infoFiles[i]), infoFiles[i + 1]);
        List<String> args = new ArrayList<>(List.of("--read-only=ON", "--general-log=ON", "--log-output=TABLE"));
        // log-raw: MySQL would otherwise log a rewritten statement (password hidden, its own spelling).
        if (flavor().isMysql()) args.addAll(List.of("--super-read-only=ON", "--log-raw=ON"));
        DatabaseServer db = servers.startOn(data, serverId, args.toArray(String[]::new));
        return new Replica(db, servers.tempDir("replica-tmp-"));
    }

    private record Replica(DatabaseServer db, Path tmp) {
        InProcessServe serve() throws Exception {
            return InProcessServe.start(DatabaseServer.freePort(), env(tmp), serveArgs());
        }

        String[] serveArgs() {
            return new String[] {"--hostname", "mysql-" + (db.serverId() - 100),
                    "--mysql-port", Integer.toString(db.port()), "--data-dir", db.dataDir().toString(),
                    "--source-host", "127.0.0.1", "--source-port", Integer.toString(primary.port()),
                    "--replication-user", "repl", "--max-lag", "1s", "--mysql-wait", "30s"};
        }
    }

    private static Map<String, String> env(Path tmp) {
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((k, v) -> {
            if (!k.startsWith("AGENT_") && !k.equals("MYSQL_PASSWORD") && !k.equals("HOSTNAME")) env.put(k, v);
        });
        env.put("TMPDIR", tmp.toString());
        env.put("AGENT_REPLICATION_PASSWORD", PASSWORD);
        return env;
    }

    private void assertRowArrives(DatabaseServer replica) {
        int id = nextRow++;
        primary.execute("INSERT INTO app.messages VALUES (" + id + ", 'row " + id + "')");
        await("row " + id + " on the replica at port " + replica.port()).atMost(READY).ignoreExceptions()
                .until(() -> replica.queryOne("SELECT COUNT(*) FROM app.messages WHERE id = " + id).equals("1"));
    }

    private static void awaitMetric(InProcessServe serve, String sample, double value) {
        await(sample + " = " + value + " on " + serve.address()).atMost(READY).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertEquals(value, serve.metric(sample).orElseThrow(() -> new AssertionError(sample + " is not listed"))));
    }

    private void assertReadOnly(DatabaseServer replica) {
        assertEquals("1", replica.queryOne("SELECT @@GLOBAL.read_only"));
        if (flavor().isMysql()) assertEquals("1", replica.queryOne("SELECT @@GLOBAL.super_read_only"));
    }

    /** /readyz 200, then the setup's outcome line, then a new row on the primary reaches the replica. */
    private void awaitReplicating(InProcessServe serve, LogCapture logs, String outcome, DatabaseServer replica) throws Exception {
        serve.awaitStatus("/readyz", 200, READY);
        logs.awaitLine(outcome, READY);
        assertRowArrives(replica);
    }

    /** The replica received exactly one CHANGE (in this server's words, holding {@code options}) and one START. */
    private void assertReceivedChangeAndStart(DatabaseServer replica, String... options) {
        List<String> received = replicationStatements(replica);
        assertEquals(2, received.size(), "statements the replica received: " + received);
        assertTrue(received.get(0).startsWith(changeWords()), received.toString());
        for (String option : options) assertTrue(received.get(0).contains(option), option + " in " + received);
        assertEquals(startWords(), received.get(1), received.toString());
    }

    /** CHANGE ... and START ... statements in the replica's general log, oldest first, as the server received them. */
    private static List<String> replicationStatements(DatabaseServer replica) {
        return replica.query("SELECT CONVERT(argument USING utf8mb4) FROM mysql.general_log WHERE command_type = 'Query'"
                        + " ORDER BY event_time").stream()
                .map(q -> q.strip().replaceAll("\\s+", " "))
                .filter(q -> { String u = q.toUpperCase(Locale.ROOT); return u.startsWith("CHANGE ") || u.startsWith("START "); })
                .toList();
    }

    /** MySQL 8.0.23+ must be sent the new words; 5.7 and MariaDB the MASTER words. */
    private String changeWords() {
        return flavor() == ServerFlavor.MYSQL_8_0 ? "CHANGE REPLICATION SOURCE TO" : "CHANGE MASTER TO";
    }

    private String startWords() {
        return flavor() == ServerFlavor.MYSQL_8_0 ? "START REPLICA" : "START SLAVE";
    }

    private String stopWords() {
        return flavor() == ServerFlavor.MYSQL_8_0 ? "STOP REPLICA" : "STOP SLAVE";
    }

    private String option(String rest) {
        return (flavor() == ServerFlavor.MYSQL_8_0 ? "SOURCE_" : "MASTER_") + rest;
    }

    private Map<String, String> replicaStatus(DatabaseServer db) throws Exception {
        return row(db, flavor() == ServerFlavor.MYSQL_8_0 ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS");
    }

    private static String column(Map<String, String> row, String... names) {
        for (String n : names) if (row.containsKey(n)) return row.get(n);
        throw new AssertionError("none of " + List.of(names) + " in " + row.keySet());
    }

    private static Map<String, String> row(DatabaseServer db, String sql) throws Exception {
        return row(db, sql, false);
    }

    private static Map<String, String> row(DatabaseServer db, String sql, boolean mayBeEmpty) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            Map<String, String> row = new HashMap<>();
            if (!rs.next()) {
                if (mayBeEmpty) return row;
                throw new AssertionError(sql + " returned no row on port " + db.port());
            }
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), rs.getString(i));
            return row;
        }
    }
}

package io.statefulset.agent.backup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.ExternalCommand;
import io.statefulset.agent.health.JdbcTestProbe;
import io.statefulset.agent.common.protocol.PeerStatus;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /healthz, /readyz and /metrics of a real server over real mariadbd primaries and replicas. */
class ServerEndpointsTest {
    private static final List<String> METRICS = List.of(
            "mysql_agent_backups_total{status=\"success\"}",
            "mysql_agent_backups_total{status=\"failed\"}",
            "mysql_agent_backups_total{status=\"aborted\"}",
            "mysql_agent_backup_bytes_total",
            "mysql_agent_backup_in_progress",
            "mysql_agent_backup_duration_seconds_count",
            "mysql_agent_backup_duration_seconds_sum",
            "mysql_agent_backup_duration_seconds_max",
            "mysql_agent_mysql_up",
            "mysql_agent_replication_lag_seconds",
            "mysql_agent_replication_io_running",
            "mysql_agent_replication_sql_running",
            "mysql_agent_replication_configured",
            "mysql_agent_replication_last_error_number{thread=\"io\"}",
            "mysql_agent_replication_last_error_number{thread=\"sql\"}",
            "mysql_agent_replication_errors_total{thread=\"io\"}",
            "mysql_agent_replication_errors_total{thread=\"sql\"}",
            "mysql_agent_replication_start_refused_total{reason=\"binlog_purged\"}",
            "mysql_agent_replication_start_refused_total{reason=\"errant_transactions\"}",
            "mysql_agent_replication_start_blocked");

    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(TestDonor donor, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(donor.url(path))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        if (!m.find()) throw new AssertionError("no sample " + series + " in\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    private void awaitStatus(TestDonor donor, String path, int status) throws Exception {
        await(path + " to answer " + status).atMost(Duration.ofSeconds(30)).until(() -> get(donor, path).statusCode() == status);
    }

    @Test
    void primaryIsHealthyAndReadyWhileMysqldAnswers() throws Exception {
        DatabaseServer db = servers.start(1);
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).hostname("mysql-0").start()) {
            HttpResponse<String> healthz = get(donor, "/healthz");
            assertEquals(200, healthz.statusCode());
            assertEquals("ok\n", healthz.body());
            HttpResponse<String> readyz = get(donor, "/readyz");
            assertEquals(200, readyz.statusCode());
            assertEquals("ready: primary, mysqld answers\n", readyz.body());

            db.kill(); // only a dead port is needed: no clean InnoDB shutdown to wait for
            awaitStatus(donor, "/healthz", 503);
            awaitStatus(donor, "/readyz", 503); // readiness changes after a few samples in a row, not on the first
            HttpResponse<String> notReady = get(donor, "/readyz");
            assertEquals(503, notReady.statusCode());
            assertEquals("not ready: mysqld does not answer\n", notReady.body());
            assertEquals(0.0, sample(get(donor, "/metrics").body(), "mysql_agent_mysql_up"));
        }
    }

    @Test
    void replicaIsReadyOnlyWhileBothThreadsRun() throws Exception {
        DatabaseServer primary = servers.start(1);
        DatabaseServer replica = servers.start(2);
        JdbcTestProbe probe = new JdbcTestProbe(replica);
        try (TestDonor donor = TestDonor.on(replica, servers.tempDir("scratch-")).hostname("mysql-1").probe(probe).start()) {
            HttpResponse<String> unconfigured = get(donor, "/readyz");
            assertEquals(503, unconfigured.statusCode());
            assertTrue(unconfigured.body().contains("SHOW SLAVE STATUS is empty"), unconfigured.body());
            assertTrue(Double.isNaN(sample(get(donor, "/metrics").body(), "mysql_agent_replication_lag_seconds")));

            List<String> position = List.of(primary.queryOne("SELECT @@GLOBAL.gtid_binlog_pos"));
            replica.execute("SET GLOBAL gtid_slave_pos = '" + position.get(0) + "'",
                    "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port()
                            + ", MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos",
                    "START SLAVE");
            probe.configured(true);
            awaitStatus(donor, "/readyz", 200);
            assertTrue(get(donor, "/readyz").body().startsWith("ready: replica, IO and SQL threads running"));
            String scrape = get(donor, "/metrics").body();
            assertEquals(1.0, sample(scrape, "mysql_agent_replication_io_running"));
            assertEquals(1.0, sample(scrape, "mysql_agent_replication_sql_running"));
            assertEquals(1.0, sample(scrape, "mysql_agent_replication_configured"));
            assertTrue(sample(scrape, "mysql_agent_replication_lag_seconds") >= 0);

            replica.execute("STOP SLAVE SQL_THREAD");
            awaitStatus(donor, "/readyz", 503);
            assertEquals("not ready: replication SQL thread is not running (No): no error reported (stopped by hand? START SLAVE"
                    + " starts it)\n", get(donor, "/readyz").body());
            String stopped = get(donor, "/metrics").body();
            assertEquals(1.0, sample(stopped, "mysql_agent_replication_io_running"));
            assertEquals(0.0, sample(stopped, "mysql_agent_replication_sql_running"));
            assertEquals(200, get(donor, "/healthz").statusCode(), "a stopped replica is still alive");
        }
    }

    @Test
    void metricsListEveryMeterAndCountABackup() throws Exception {
        DatabaseServer db = servers.start(1);
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).start()) {
            HttpResponse<String> before = get(donor, "/metrics");
            assertEquals(200, before.statusCode());
            assertTrue(before.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            for (String series : METRICS) assertTrue(before.body().contains(series), series + " missing");
            assertEquals(0.0, sample(before.body(), "mysql_agent_backups_total{status=\"success\"}"));

            HttpResponse<byte[]> backup = http.send(HttpRequest.newBuilder(URI.create(donor.url("/backup"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, backup.statusCode());
            await("the backup to be counted").atMost(Duration.ofSeconds(10)).until(() -> sample(get(donor, "/metrics").body(), "mysql_agent_backups_total{status=\"success\"}") == 1.0);

            String after = get(donor, "/metrics").body();
            assertEquals(backup.body().length, sample(after, "mysql_agent_backup_bytes_total"));
            assertEquals(1.0, sample(after, "mysql_agent_backup_duration_seconds_count"));
            assertTrue(sample(after, "mysql_agent_backup_duration_seconds_sum") > 0);
            assertEquals(0.0, sample(after, "mysql_agent_backup_in_progress"));
            assertEquals(0.0, sample(after, "mysql_agent_backups_total{status=\"failed\"}"));
        }
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() throws Exception {
        DatabaseServer db = servers.start(1);
        try (TestDonor donor = TestDonor.on(db, servers.tempDir("scratch-")).start()) {
            HttpResponse<String> missing = get(donor, "/backups");
            assertEquals(404, missing.statusCode());
            assertTrue(missing.body().contains("/backup, /healthz, /readyz, /status, /metrics"), missing.body());
            HttpResponse<String> status = get(donor, "/status");
            assertEquals(200, status.statusCode());
            PeerStatus peer = PeerStatus.parse(status.body()).orElseThrow(() -> new AssertionError(status.body()));
            assertTrue(peer.mysqlUp() && !peer.backupRunning(), status.body());
            assertEquals(db.queryOne("SELECT @@GLOBAL.gtid_current_pos"), peer.gtidPosition(), "the real server's position");
            for (String path : List.of("/backup", "/healthz", "/metrics")) {
                HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(donor.url(path)))
                        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(405, post.statusCode(), path);
                assertEquals("GET", post.headers().firstValue("allow").orElseThrow());
            }
            assertEquals(200, get(donor, "/healthz?verbose=1").statusCode());
            // A hand-made request whose sender half-closes right after it still gets its answer, then EOF.
            ExternalCommand byHand = ExternalCommand.pipeline(servers.tempDir("ncat-"),
                    "printf 'GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' | ncat 127.0.0.1 " + donor.port());
            assertEquals(0, byHand.exitCode(), byHand.output());
            assertTrue(byHand.output().startsWith("HTTP/1.1 200 OK"), byHand.output());
            assertTrue(byHand.output().endsWith("\r\n\r\nok\n"), byHand.output());
            assertTrue(BackupToolProcesses.running().isEmpty());
        }
    }
}

package io.statefulset.agent.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.health.StartCheck;
import io.statefulset.agent.replication.preflight.PreflightVerdict;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.LogCapture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The situations of the README's "When replication breaks" table that every flavor shares, and what serve must say
 * about each in its log, /readyz and /metrics: one home for the expectations of {@link ReplicationGuardTest}
 * (MariaDB) and {@link ReplicationGuardMysqlContract} (MySQL), which differ in how they make the trouble.
 */
final class ReplicationTrouble {
    static final Duration WAIT = Duration.ofSeconds(40);

    private ReplicationTrouble() {}

    /**
     * A start the checks refused: {@code found} (the finding with its numbers) logged once with the re-clone advice,
     * /readyz 503 with the same line, the refusal counted under {@code reason} only, the start blocked.
     */
    static void assertRefused(InProcessServe serve, LogCapture logs, String found, String reason, Path dataDir) throws Exception {
        logs.awaitLine("replication setup: REFUSED: replication not started: " + found, WAIT);
        assertTrue(logs.text().contains(PreflightVerdict.reclone(dataDir)), logs.text());
        HttpResponse<String> ready = serve.get("/readyz");
        assertEquals(503, ready.statusCode());
        assertTrue(ready.body().startsWith("not ready: replication not started: " + found), ready.body());
        assertTrue(ready.body().contains(PreflightVerdict.reclone(dataDir)), ready.body());
        for (String r : StartCheck.REASONS) {
            assertEquals(r.equals(reason) ? 1.0 : 0.0,
                    serve.metric("mysql_agent_replication_start_refused_total{reason=\"" + r + "\"}").orElseThrow(), r);
        }
        assertEquals(1.0, serve.metric("mysql_agent_replication_start_blocked").orElseThrow());
        assertEquals(1, logs.count("REFUSED"), "one line, not one per poll: " + logs.text());
    }

    /** Nothing was started on {@code replica}: both threads stopped. */
    static void assertNotStarted(DatabaseServer replica) {
        Map<String, String> status = AppTable.slaveStatus(replica);
        assertEquals("No", status.get("Slave_IO_Running"), "replication must not be started: " + status);
        assertEquals("No", status.get("Slave_SQL_Running"), status.toString());
    }

    /**
     * The source stopped and started under a ready replica: lag unknown (NaN, not 0) and not ready, the IO thread's
     * error once when it starts and once when it clears, then ready again and row {@code row} replicated.
     */
    static void assertSourceRestart(InProcessServe serve, LogCapture logs, DatabaseServer primary, DatabaseServer replica,
                                    int row) throws Exception {
        logs.awaitLine("now ready: replica, IO and SQL threads running", WAIT);
        assertEquals(0.0, serve.metric("mysql_agent_replication_lag_seconds").orElseThrow());

        primary.stop();
        serve.awaitStatus("/readyz", 503, WAIT);
        String body = serve.get("/readyz").body();
        assertTrue(body.startsWith("not ready: replication lag is unknown: the IO thread is connecting to the source"), body);
        assertTrue(Double.isNaN(serve.metric("mysql_agent_replication_lag_seconds").orElseThrow()), "unknown lag is NaN, not 0");
        logs.awaitLine("now not ready: replication lag is unknown: the IO thread is connecting", WAIT);
        String errnoSample = "mysql_agent_replication_last_error_number{thread=\"io\"}";
        await("an IO error number in the metrics").atMost(WAIT).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> serve.metric(errnoSample).orElseThrow() > 0);
        int errno = (int) serve.metric(errnoSample).orElseThrow();
        logs.awaitLine("replication IO thread error " + errno + " started (IO thread Connecting)", WAIT);
        await("/readyz to carry the server's error number").atMost(WAIT).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> serve.get("/readyz").body().contains("error " + errno));
        assertEquals(1.0, serve.metric("mysql_agent_replication_errors_total{thread=\"io\"}").orElseThrow());

        primary.start();
        serve.awaitStatus("/readyz", 200, WAIT);
        logs.awaitLine("replication IO thread error " + errno + " cleared after", WAIT);
        AppTable.writeAndAwait(primary, row, replica);
        assertEquals(0.0, serve.metric(errnoSample).orElseThrow());
        String text = logs.text();
        assertEquals(1, LogCapture.occurrences(text, "replication IO thread error " + errno + " started"), text);
        assertEquals(1, LogCapture.occurrences(text, "replication IO thread error " + errno + " cleared"), text);
        assertEquals(1, LogCapture.occurrences(text, "now not ready: "), text);
        await("readiness back, logged once").atMost(WAIT)
                .untilAsserted(() -> assertEquals(2, logs.count("now ready: "), logs::text));
    }

    /**
     * Row 61 written on the replica ({@code conflict}) and then on the primary stops the SQL thread with error 1062:
     * /readyz 503 with the server's number and words, the error in the metrics and logged once; {@code repair}
     * (the operator's fix) makes it ready again with the primary's row.
     */
    static void assertDuplicateKey(InProcessServe serve, LogCapture logs, DatabaseServer primary, DatabaseServer replica,
                                   Runnable conflict, Runnable repair) throws Exception {
        conflict.run();
        primary.execute("INSERT INTO app.messages VALUES (61, 'written on the primary')");

        serve.awaitStatus("/readyz", 503, WAIT);
        String body = serve.get("/readyz").body();
        assertTrue(body.startsWith("not ready: replication SQL thread is not running (No): error 1062: "), body);
        assertTrue(body.contains("Duplicate entry '61' for key "), "the words of the thread that failed: " + body);
        assertEquals(1062.0, serve.metric("mysql_agent_replication_last_error_number{thread=\"sql\"}").orElseThrow());
        assertEquals(0.0, serve.metric("mysql_agent_replication_last_error_number{thread=\"io\"}").orElseThrow());
        String info = metricLine(serve, "mysql_agent_replication_last_error_info{");
        assertTrue(info.contains("errno=\"1062\"") && info.contains("thread=\"sql\"") && info.contains("Duplicate entry"), info);
        logs.awaitLine("replication SQL thread error 1062 started (SQL thread No): ", WAIT);

        repair.run();
        serve.awaitStatus("/readyz", 200, WAIT);
        logs.awaitLine("replication SQL thread error 1062 cleared after", WAIT);
        assertEquals(0.0, serve.metric("mysql_agent_replication_last_error_number{thread=\"sql\"}").orElseThrow());
        assertEquals("", metricLine(serve, "mysql_agent_replication_last_error_info{"), "no error, no info series");
        assertEquals("written on the primary", replica.queryOne("SELECT message FROM app.messages WHERE id = 61"));
        String text = logs.text();
        assertEquals(1, LogCapture.occurrences(text, "replication SQL thread error 1062 started"), text);
        assertEquals(1, LogCapture.occurrences(text, "replication SQL thread error 1062 cleared"), text);
        assertEquals(1.0, serve.metric("mysql_agent_replication_errors_total{thread=\"sql\"}").orElseThrow());
    }

    private static String metricLine(InProcessServe serve, String prefix) throws Exception {
        for (String line : serve.get("/metrics").body().split("\n")) {
            if (line.startsWith(prefix)) return line;
        }
        return "";
    }
}

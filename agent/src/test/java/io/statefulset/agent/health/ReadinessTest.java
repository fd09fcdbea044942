package io.statefulset.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    private static final Duration MAX_LAG = Duration.ofSeconds(60);

    private static ProbeReading replica(String io, String sql, OptionalLong lag, ThreadError ioError, ThreadError sqlError) {
        return new ProbeReading(true, Optional.of(new ReplicaState(io, sql, lag, ioError, sqlError)), true);
    }

    private static ProbeReading replica(String io, String sql, OptionalLong lag) {
        return replica(io, sql, lag, ThreadError.NONE, ThreadError.NONE);
    }

    @Test
    void primaryIsReadyWhenMysqldAnswers() {
        Readiness r = Readiness.of(new ProbeReading(true, Optional.empty(), false), true, MAX_LAG);
        assertTrue(r.ready());
        assertEquals("ready: primary, mysqld answers", r.reason());
    }

    @Test
    void nobodyIsReadyWhenMysqldDoesNotAnswer() {
        assertFalse(Readiness.of(ProbeReading.UNREACHABLE, true, MAX_LAG).ready());
        Readiness r = Readiness.of(ProbeReading.UNREACHABLE, false, MAX_LAG);
        assertFalse(r.ready());
        assertEquals("not ready: mysqld does not answer", r.reason());
    }

    @Test
    void replicaWithoutReplicationIsNotReady() {
        Readiness r = Readiness.of(new ProbeReading(true, Optional.empty(), false), false, MAX_LAG);
        assertFalse(r.ready());
        assertTrue(r.reason().contains("SHOW SLAVE STATUS is empty"), r.reason());
        assertTrue(r.reason().contains("has not configured it yet"), r.reason());
    }

    @Test
    void stoppedThreadsAreNamedWithTheServersOwnErrorNumberAndText() {
        Readiness sql = Readiness.of(replica("Yes", "No", OptionalLong.empty(), ThreadError.NONE,
                new ThreadError(1062, "Could not execute Write_rows_v1 event; Duplicate entry '61'")), false, MAX_LAG);
        assertFalse(sql.ready());
        assertEquals("not ready: replication SQL thread is not running (No): error 1062: Could not execute Write_rows_v1 event;"
                + " Duplicate entry '61'", sql.reason());
        Readiness io = Readiness.of(replica("No", "Yes", OptionalLong.empty(),
                new ThreadError(1236, "Got fatal error 1236 from master"), ThreadError.NONE), false, MAX_LAG);
        assertEquals("not ready: replication IO thread is not running (No): error 1236: Got fatal error 1236 from master", io.reason());
        Readiness byHand = Readiness.of(replica("Yes", "No", OptionalLong.empty()), false, MAX_LAG);
        assertTrue(byHand.reason().endsWith("no error reported (stopped by hand? START SLAVE starts it)"), byHand.reason());
    }

    @Test
    void lagIsUnknownWhileTheIoThreadConnectsOrTheServerSaysNull() {
        // A replica whose source is down: the server may still print a lag, which means nothing then.
        Readiness connecting = Readiness.of(replica("Connecting", "Yes", OptionalLong.of(0),
                new ThreadError(2003, "error reconnecting to master"), ThreadError.NONE), false, MAX_LAG);
        assertFalse(connecting.ready());
        assertEquals("not ready: replication lag is unknown: the IO thread is connecting to the source (error 2003: error"
                + " reconnecting to master)", connecting.reason());
        Readiness nullLag = Readiness.of(replica("Yes", "Yes", OptionalLong.empty()), false, MAX_LAG);
        assertEquals("not ready: replication lag is unknown (Seconds_Behind_Master is NULL)", nullLag.reason());
        assertEquals(OptionalLong.empty(), new ReplicaState("Connecting", "Yes", OptionalLong.of(0), ThreadError.NONE,
                ThreadError.NONE).knownLag(), "the metric's lag: unknown, not 0");
    }

    @Test
    void lagAtTheLimitIsReadyAndOneSecondMoreIsNot() {
        assertTrue(Readiness.of(replica("Yes", "Yes", OptionalLong.of(60)), false, MAX_LAG).ready());
        Readiness over = Readiness.of(replica("Yes", "Yes", OptionalLong.of(61)), false, MAX_LAG);
        assertFalse(over.ready());
        assertEquals("not ready: replica is 61 s behind the source (max 60 s, --max-lag)", over.reason());
    }

    @Test
    void runningReplicaSaysHowFarBehindItIs() {
        Readiness r = Readiness.of(replica("Yes", "Yes", OptionalLong.of(3)), false, MAX_LAG);
        assertTrue(r.ready());
        assertEquals("ready: replica, IO and SQL threads running, 3 s behind the source", r.reason());
    }
}

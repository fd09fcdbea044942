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

    private static ProbeReading replica(boolean io, boolean sql, OptionalLong lag, String error) {
        return new ProbeReading(true, Optional.of(new ReplicaState(io, sql, lag, error)), true);
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
    void stoppedThreadsAreNamedWithTheLastError() {
        Readiness io = Readiness.of(replica(false, true, OptionalLong.empty(), "error connecting to master"), false, MAX_LAG);
        assertFalse(io.ready());
        assertEquals("not ready: replication IO thread is not running (last error: error connecting to master)", io.reason());
        Readiness sql = Readiness.of(replica(true, false, OptionalLong.empty(), ""), false, MAX_LAG);
        assertFalse(sql.ready());
        assertEquals("not ready: replication SQL thread is not running", sql.reason());
    }

    @Test
    void unknownLagIsNotReady() {
        Readiness r = Readiness.of(replica(true, true, OptionalLong.empty(), ""), false, MAX_LAG);
        assertFalse(r.ready());
        assertEquals("not ready: replication lag is unknown", r.reason());
    }

    @Test
    void lagAtTheLimitIsReadyAndOneSecondMoreIsNot() {
        assertTrue(Readiness.of(replica(true, true, OptionalLong.of(60), ""), false, MAX_LAG).ready());
        Readiness over = Readiness.of(replica(true, true, OptionalLong.of(61), ""), false, MAX_LAG);
        assertFalse(over.ready());
        assertEquals("not ready: replica is 61 s behind the source (max 60 s, --max-lag)", over.reason());
    }

    @Test
    void runningReplicaSaysHowFarBehindItIs() {
        Readiness r = Readiness.of(replica(true, true, OptionalLong.of(3), ""), false, MAX_LAG);
        assertTrue(r.ready());
        assertEquals("ready: replica, IO and SQL threads running, 3 s behind the source", r.reason());
    }
}

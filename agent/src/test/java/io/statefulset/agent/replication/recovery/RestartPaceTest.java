package io.statefulset.agent.replication.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.health.ReplicaState;
import io.statefulset.agent.health.ThreadError;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * How often the source is checked again: every 5 s while refused, longer after restarts that do not hold. The pace is
 * driven as {@link IoThreadRestart} drives it: a sample once a second ({@code due}), and when due the check, reported with
 * the time it began ({@code checked}).
 */
class RestartPaceTest {
    private static final long SECOND = 1_000_000_000L;
    private static final ThreadError LOST_LOG = new ThreadError(13114, "Got fatal error 1236 from source when reading data from"
            + " binary log: 'could not find next log'");
    private static final ReplicaState STOPPED = io("No", LOST_LOG);
    private static final ReplicaState RUNNING = io("Yes", ThreadError.NONE);

    private final RestartPace pace = new RestartPace();

    @Test
    void theFirstCheckRunsAtOnceAndARefusedOneAgainAfterFiveSeconds() {
        long start = -123 * SECOND; // any clock value, even a negative nanoTime
        List<Long> checks = run(start, 30, t -> true, false);
        assertEquals(List.of(0L, 5L, 10L, 15L, 20L, 25L), checks, "seconds from the first stopped sample");
    }

    @Test
    void restartsThatDoNotHoldWaitLongerEachTimeUpToFiveMinutesAndStayThere() {
        // The source passes the check but stops the thread a second after each restart, for two hours.
        List<Long> restarts = new ArrayList<>();
        long[] lastRestart = {Long.MIN_VALUE};
        for (long t = 0; t <= 2 * 3600; t++) {
            long now = t * SECOND;
            boolean stopped = lastRestart[0] == Long.MIN_VALUE || now - lastRestart[0] >= SECOND;
            if (pace.due(stopped ? STOPPED : RUNNING, now)) {
                pace.checked(now, true);
                lastRestart[0] = now;
                restarts.add(t);
            }
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < restarts.size(); i++) gaps.add(restarts.get(i) - restarts.get(i - 1));
        // The wait (5, 10, 20, ... 300 s) counts from the sample that saw the thread stopped again, 2 s after the restart
        // (a stop seen sooner may be a reading from before it).
        assertEquals(List.of(7L, 12L, 22L, 42L, 82L, 162L, 302L, 302L), gaps.subList(0, 8), "restarts at " + restarts);
        assertTrue(gaps.subList(6, gaps.size()).stream().allMatch(g -> g == 302L), "never back to 5 s: " + gaps);
        assertTrue(restarts.size() <= 30, "about 12 an hour at the cap, not 5 every 155 s: " + restarts.size());
    }

    @Test
    void aRestartThatHeldForAMinuteStartsThePaceAfresh() {
        // Four quick failures (the wait is 40 s now), then a restart that runs 90 s before the source stops it again.
        long t = 0;
        for (int i = 0; i < 4; i++) {
            while (!pace.due(STOPPED, t * SECOND)) t++;
            pace.checked(t * SECOND, true);
            t += 3;
        }
        assertFalse(pace.due(STOPPED, t * SECOND), "judged quick: waits");
        while (!pace.due(STOPPED, t * SECOND)) t++;
        long restart = t;
        pace.checked(restart * SECOND, true);
        for (t = restart + 1; t < restart + 90; t++) assertFalse(pace.due(RUNNING, t * SECOND), "running");
        assertTrue(pace.due(STOPPED, (restart + 90) * SECOND), "stopped again after it held: checked at once");
        pace.checked((restart + 90) * SECOND, true);
        assertFalse(pace.due(STOPPED, (restart + 93) * SECOND), "stopped again quickly: the first step of the pace");
        assertFalse(pace.due(STOPPED, (restart + 97) * SECOND));
        assertTrue(pace.due(STOPPED, (restart + 98) * SECOND), "5 s, not 80");
    }

    @Test
    void aSampleReadBeforeTheRestartIsNotTakenForAQuickFailure() {
        assertTrue(pace.due(STOPPED, 0));
        pace.checked(0, true);
        // The probe's cached reading from before the START: still stopped.
        assertFalse(pace.due(STOPPED, SECOND));
        for (long t = 2; t < 30; t++) assertFalse(pace.due(RUNNING, t * SECOND), "running");
        assertFalse(pace.due(STOPPED, 30 * SECOND), "stopped again within the minute: a quick failure, 5 s to wait");
        assertTrue(pace.due(STOPPED, 35 * SECOND));
    }

    @Test
    void aStopAfterARefusalIsNotJudgedAsARestart() {
        assertTrue(pace.due(STOPPED, 0));
        pace.checked(0, false);
        assertFalse(pace.due(RUNNING, SECOND), "cleared by hand");
        assertTrue(pace.due(STOPPED, 600 * SECOND), "a later stop is checked at once");
    }

    @Test
    void aStopTheAgentLeavesAloneIsNotCheckedAgainUntilTheErrorChangesOrClears() {
        assertTrue(pace.due(STOPPED, 0));
        pace.leftAlone(LOST_LOG);
        pace.checked(0, false);
        for (long t = 1; t < 3600; t++) assertFalse(pace.due(STOPPED, t * SECOND), "the same stop: not asked again");
        ReplicaState other = io("No", new ThreadError(1236, "Got fatal error 1236 from master: 'more GTIDs than the source'"));
        assertTrue(pace.due(other, 3600 * SECOND), "another error: decided again");
        pace.leftAlone(other.ioError());
        pace.checked(3600 * SECOND, false);
        assertFalse(pace.due(other, 3700 * SECOND));
        assertFalse(pace.due(RUNNING, 3701 * SECOND), "started by the operator");
        assertTrue(pace.due(other, 3702 * SECOND), "a stop after it cleared is a new one, even with the same error");
    }

    private static ReplicaState io(String state, ThreadError error) {
        return new ReplicaState(state, "Yes", OptionalLong.empty(), error, ThreadError.NONE);
    }

    /** Samples once a second for {@code seconds}; a due check started then ends with {@code restarts}. */
    private List<Long> run(long start, int seconds, LongPredicate stoppedAt, boolean restarts) {
        List<Long> checks = new ArrayList<>();
        for (long t = 0; t < seconds; t++) {
            long now = start + t * SECOND;
            if (pace.due(stoppedAt.test(t) ? STOPPED : RUNNING, now)) {
                pace.checked(now, restarts);
                checks.add(t);
            }
        }
        return checks;
    }
}

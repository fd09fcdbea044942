package io.statefulset.agent.replication.preflight;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How often the source is checked again: every 5 s while refused, longer after restarts that do not hold. */
class RestartPaceTest {
    private static final long SECOND = 1_000_000_000L;

    private final RestartPace pace = new RestartPace();

    @Test
    void theFirstCheckRunsAtOnceAndARefusedOneAgainAfterFiveSeconds() {
        assertTrue(pace.due(-123 * SECOND), "any clock value, even a negative nanoTime");
        pace.checked(0, false);
        assertFalse(pace.due(4 * SECOND));
        assertTrue(pace.due(5 * SECOND));
        pace.checked(5 * SECOND, false);
        assertFalse(pace.due(9 * SECOND));
        assertTrue(pace.due(10 * SECOND));
    }

    @Test
    void restartsThatDoNotHoldWaitLongerEachTimeUpToFiveMinutes() {
        pace.checked(0, true);
        assertTrue(pace.due(5 * SECOND), "one restart: the usual pace");
        pace.checked(6 * SECOND, true);
        assertFalse(pace.due(15 * SECOND));
        assertTrue(pace.due(16 * SECOND), "the second within a minute: 10 s");
        pace.checked(16 * SECOND, true);
        assertFalse(pace.due(35 * SECOND));
        assertTrue(pace.due(36 * SECOND), "the third: 20 s");
        long t = 36 * SECOND;
        for (int i = 0; i < 10; i++) {
            pace.checked(t, true);
            t += 50 * SECOND; // stops again within the minute
        }
        long last = t - 50 * SECOND;
        assertFalse(pace.due(last + 299 * SECOND));
        assertTrue(pace.due(last + 300 * SECOND), "never more than 5 minutes");
    }

    @Test
    void aRestartThatHeldForAMinuteStartsThePaceAfresh() {
        pace.checked(0, true);
        pace.checked(6 * SECOND, true);
        pace.checked(6 * SECOND + 61 * SECOND, true);
        assertTrue(pace.due(72 * SECOND), "5 s again, not 20");
    }
}

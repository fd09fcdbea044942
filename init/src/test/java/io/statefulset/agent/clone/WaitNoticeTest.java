package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitNoticeTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aWaitIsSaidOnceThenOncePerIntervalAndAgainWhenItsReasonChanges() {
        WaitNotice<String> notice = new WaitNotice<>(Duration.ofSeconds(60));
        assertTrue(notice.due("mysql-0", "connection refused", 0));
        assertTrue(notice.saidBefore("mysql-0", "connection refused"));
        for (long t = 2; t < 60; t += 2) assertFalse(notice.due("mysql-0", "connection refused", t * SECOND), "poll at " + t + " s");
        assertTrue(notice.due("mysql-0", "connection refused", 60 * SECOND));
        assertFalse(notice.due("mysql-0", "connection refused", 61 * SECOND));
        assertTrue(notice.due("mysql-0", "does not resolve", 62 * SECOND), "a new reason is said at once");
        assertFalse(notice.saidBefore("mysql-0", "connection refused"));
        assertTrue(notice.due("mysql-1", "connection refused", 62 * SECOND), "each donor has its own notice");
        notice.forget("mysql-1");
        assertTrue(notice.due("mysql-1", "connection refused", 63 * SECOND));
    }
}

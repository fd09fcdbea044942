package io.statefulset.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SteadyReadinessTest {
    private static final Readiness READY = new Readiness(true, "ready: replica, 0 s behind");
    private static final Readiness LAGGING = new Readiness(false, "not ready: replica is 75 s behind");

    @Test
    void oneBadSampleDoesNotFlipAndThreeInARowDo() {
        SteadyReadiness steady = new SteadyReadiness();
        assertFalse(steady.current().ready(), "nothing read yet");
        assertTrue(steady.offer(READY), "the first sample is taken as it is, and ready is a change from 'no reading yet'");
        assertTrue(steady.current().ready());

        assertFalse(steady.offer(LAGGING));
        assertFalse(steady.offer(READY), "one bad sample between good ones");
        assertFalse(steady.offer(LAGGING));
        assertFalse(steady.offer(LAGGING));
        assertTrue(steady.current().ready(), "two bad samples in a row are not enough");
        assertTrue(steady.offer(LAGGING), "the third flips it");
        assertEquals(LAGGING, steady.current());

        assertFalse(steady.offer(READY));
        assertFalse(steady.offer(READY));
        assertFalse(steady.current().ready(), "and back the same way");
        assertTrue(steady.offer(READY));
        assertTrue(steady.current().ready());
        assertEquals(3, SteadyReadiness.SAMPLES, "the README says 3 samples, 1 s apart");
    }

    @Test
    void aFirstSampleThatIsNotReadyIsNoChange() {
        SteadyReadiness steady = new SteadyReadiness();
        assertFalse(steady.offer(LAGGING), "not ready before, not ready now");
        assertEquals(LAGGING, steady.current(), "taken at once: nothing to flap from");
    }

    @Test
    void samplesThatAgreeKeepTheNewestReason() {
        SteadyReadiness steady = new SteadyReadiness();
        steady.offer(LAGGING);
        Readiness further = new Readiness(false, "not ready: replica is 80 s behind");
        assertFalse(steady.offer(further));
        assertEquals(further, steady.current());
    }
}

package io.statefulset.agent.replication;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes; the failure says what was awaited. */
public final class Await {
    private Await() {}

    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            Thread.sleep(25); // pacing between polls, not synchronisation: the condition decides
        }
    }
}

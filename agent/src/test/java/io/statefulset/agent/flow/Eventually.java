package io.statefulset.agent.flow;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; the failure says what was awaited and what was seen last. */
final class Eventually {
    private Eventually() {}

    static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        until(what, timeout, condition, () -> "");
    }

    static void until(String what, Duration timeout, Callable<Boolean> condition, Supplier<String> lastSeen) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception lastError = null;
        while (true) {
            try {
                if (condition.call()) return;
                lastError = null;
            } catch (Exception e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError failure = new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for "
                        + what + (lastError != null ? "; last error: " + lastError : "") + " " + lastSeen.get());
                if (lastError != null) failure.initCause(lastError);
                throw failure;
            }
            Thread.sleep(50); // pacing between polls, not synchronisation: the condition decides
        }
    }
}

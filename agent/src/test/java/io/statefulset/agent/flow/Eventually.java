package io.statefulset.agent.flow;

import io.statefulset.agent.testing.LogCapture;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; the failure says what was awaited and what was seen last. */
final class Eventually {
    private Eventually() {}

    /**
     * The agent's log (as captured) gets a line containing {@code text}. serve's /readyz turns 200 as soon as the
     * replication threads run, a moment before the setup logs its outcome: tests wait for the line, not assume it.
     */
    static void logged(LogCapture logs, String text, Duration timeout) throws Exception {
        until("a log line with '" + text + "'", timeout, () -> logs.text().contains(text), logs::text);
    }

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

package io.statefulset.agent.e2e;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes: the only way these tests wait. A condition that throws
 * (a server restarting, a connection refused) counts as "not yet"; its last error is part of the failure message,
 * together with the cluster's diagnostics at that moment.
 */
final class Eventually {
    private static final Duration POLL = Duration.ofMillis(150);

    private Eventually() {}

    /** Waits until {@code value} returns a non-empty result and returns it. */
    static <T> T await(String what, Duration timeout, Callable<Optional<T>> value, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                Optional<T> v = value.call();
                if (v.isPresent()) return v.get();
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what
                        + (last == null ? "" : "\nlast error: " + last) + "\n" + diagnostics.get(), last);
            }
            pause();
        }
    }

    static void until(String what, Duration timeout, Callable<Boolean> condition, Supplier<String> diagnostics) {
        await(what, timeout, () -> condition.call() ? Optional.of(Boolean.TRUE) : Optional.empty(), diagnostics);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis()); // the poll interval of a deadline loop, not a synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while polling", e);
        }
    }
}

package io.statefulset.agent.clone;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides when a donor that is still not there is worth a log line: when its reason is new, then once per
 * {@code every} while the reason stays the same. Polls run every few seconds for up to {@code --donor-wait}; one
 * line per poll would bury the rest of the log.
 */
final class WaitNotice<K> {
    /** How often a wait that has not changed is said again (with the time left). */
    static final Duration EVERY = Duration.ofMinutes(1);

    private record Said(String reason, long atNanos) {}

    private final long everyNanos;
    private final Map<K, Said> said = new HashMap<>();

    WaitNotice(Duration every) {
        this.everyNanos = every.toNanos();
    }

    /** Whether {@code reason} for {@code key}, seen at {@code nowNanos}, should be logged now; remembers it if so. */
    boolean due(K key, String reason, long nowNanos) {
        Said last = said.get(key);
        if (last != null && last.reason().equals(reason) && nowNanos - last.atNanos() < everyNanos) return false;
        said.put(key, new Said(reason, nowNanos));
        return true;
    }

    /** Whether the reason for {@code key} was said before (a repeat says "still"). */
    boolean saidBefore(K key, String reason) {
        Said last = said.get(key);
        return last != null && last.reason().equals(reason);
    }

    void forget(K key) {
        said.remove(key);
    }
}

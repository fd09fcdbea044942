package io.statefulset.agent.clone;

import java.time.Duration;

/** Exponential backoff: {@code first}, doubled per step, never above {@code max}. */
public record Backoff(Duration first, Duration max) {
    public Backoff {
        if (first.isNegative() || first.isZero()) throw new IllegalArgumentException("backoff must start above 0");
        if (max.compareTo(first) < 0) throw new IllegalArgumentException("backoff max " + max + " is below its first step " + first);
    }

    public Duration delay(int step) {
        Duration d = first;
        for (int i = 0; i < step && d.compareTo(max) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(max) > 0 ? max : d;
    }
}

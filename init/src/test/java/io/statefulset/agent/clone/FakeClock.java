package io.statefulset.agent.clone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Time that moves only when slept on; names resolve (to loopback) only once they are said to exist. */
final class FakeClock implements RoundClock {
    final List<Duration> sleeps = new ArrayList<>();
    final Set<String> unresolvable = new HashSet<>();
    private long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleep(Duration d) {
        sleeps.add(d);
        now += d.toNanos();
    }

    @Override
    public InetAddress resolve(String host) throws UnknownHostException {
        if (unresolvable.contains(host)) throw new UnknownHostException(host);
        return InetAddress.getLoopbackAddress();
    }

    /** Time spent in an attempt (a transfer takes a while). */
    void pass(Duration d) {
        now += d.toNanos();
    }

    Duration elapsed() {
        return Duration.ofNanos(now - 1_000_000_000L);
    }
}

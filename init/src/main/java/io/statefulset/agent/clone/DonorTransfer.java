package io.statefulset.agent.clone;

import io.statefulset.agent.common.identity.HostPort;
import java.time.Duration;

/** One finished, verified transfer from a donor into the staging area. */
public record DonorTransfer(HostPort donor, boolean legacy, long bytes, int files, Duration elapsed) {
    public double megabytesPerSecond() {
        double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
        return bytes / 1e6 / seconds;
    }
}

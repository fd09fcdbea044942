package io.statefulset.agent.cli;

import io.statefulset.agent.clone.CloneMethod;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How a replica gets its data, and the donor rules both clone paths follow: init's xbstream from a donor's agent,
 * serve's CLONE plugin from a donor's mysqld.
 */
final class DonorRoundFlags {
    @Option(names = "--clone-method", defaultValue = "auto", converter = CloneMethodConverter.class,
            description = "auto (CLONE when the donor's /status offers the plugin, else xbstream), xbstream (init pulls the backup tool's stream) or clone-plugin (serve runs MySQL's CLONE)")
    CloneMethod cloneMethod;

    @Option(names = "--donor-wait", defaultValue = "10m", converter = DurationConverter.class,
            description = "how long to wait for a donor's DNS name and port per attempt")
    Duration donorWait;

    @Option(names = "--stall-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "a donor that sends nothing for this long has failed (CLONE: rounded up to whole minutes)")
    Duration stallTimeout;

    @Option(names = "--clone-attempts", defaultValue = "3", description = "rounds over all donors before giving up (exit 1)")
    int cloneAttempts;

    @Option(names = "--progress-interval", defaultValue = "5s", converter = DurationConverter.class,
            description = "how often a clone logs bytes, MB/s and ETA")
    Duration progressInterval;

    int attempts() throws UsageException {
        if (cloneAttempts < 1) throw new UsageException("--clone-attempts must be at least 1, got " + cloneAttempts);
        return cloneAttempts;
    }
}

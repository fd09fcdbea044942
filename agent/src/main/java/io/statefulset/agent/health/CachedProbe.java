package io.statefulset.agent.health;

import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@link MysqlProbe} at most once per {@code ttl}: kubelet probes, Prometheus scrapes and every gauge
 * of one scrape then cost mysqld one round of queries, however many ask.
 */
public final class CachedProbe {
    private static final Logger log = LoggerFactory.getLogger(CachedProbe.class);

    private final MysqlProbe probe;
    private final long ttlNanos;
    private ProbeReading last;
    private long readAtNanos;

    public CachedProbe(MysqlProbe probe, Duration ttl) {
        this.probe = probe;
        this.ttlNanos = ttl.toNanos();
    }

    /** The cached reading, refreshed when older than the ttl; callers that arrive during a refresh wait for it. */
    public synchronized ProbeReading reading() {
        if (last == null || System.nanoTime() - readAtNanos >= ttlNanos) {
            last = read();
            readAtNanos = System.nanoTime();
        }
        return last;
    }

    /**
     * Asked of mysqld each time, not cached with the reading: only {@code /status} needs it (a peer's init, rarely),
     * and the reading is refreshed every second by the replication watch.
     */
    public boolean clonePluginActive() {
        try {
            return probe.clonePluginActive();
        } catch (RuntimeException e) {
            log.warn("mysql probe failed reading the CLONE plugin's state, reporting none: {}", e.toString());
            return false;
        }
    }

    private ProbeReading read() {
        try {
            boolean alive = probe.alive();
            Optional<ReplicaState> replica = alive ? probe.replicaState() : Optional.empty();
            Optional<String> gtid = alive ? probe.gtidPosition() : Optional.empty();
            return new ProbeReading(alive, replica, probe.replicationConfigured(), gtid);
        } catch (RuntimeException e) {
            // A probe bug must not take /healthz down with a 500 loop: report mysqld as unreachable, say why.
            log.warn("mysql probe failed, reporting mysqld as not answering: {}", e.toString());
            return ProbeReading.UNREACHABLE;
        }
    }
}

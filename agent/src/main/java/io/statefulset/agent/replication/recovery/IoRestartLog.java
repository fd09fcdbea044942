package io.statefulset.agent.replication.recovery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.statefulset.agent.health.ReplicaState;
import io.statefulset.agent.health.ThreadError;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the restart of an IO thread stopped by the source ({@link IoRestartRule}) says. A restart is one line with the
 * error, the source and the GTID facts, counted in {@code mysql_agent_replication_io_restarts_total{errno}} (a series
 * per {@link IoRestartRule#ERRNOS}, present from start-up). A refusal is a condition, as a thread error is for
 * the watch's log: said when it starts, with what refused, and once when it ends, with the last finding; never
 * per check, nor when what refuses changes (a source that alternates between not answering and errant transactions
 * is one refusal). A channel the agent does not restart (not auto-positioned) is said once per stop, at INFO.
 */
public final class IoRestartLog {
    private static final Logger log = LoggerFactory.getLogger(IoRestartLog.class);

    private record Refusal(int errno, String lastFinding, long sinceNanos) {}

    private final Map<Integer, Counter> restarts = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private Refusal refusal;

    public IoRestartLog(MeterRegistry registry) {
        this.registry = registry;
        for (int errno : IoRestartRule.ERRNOS) counter(errno);
    }

    /**
     * The check refused (or could not ask the source): nothing is restarted.
     *
     * @param kind what refused ({@code errant_transactions}, {@code source_unanswered}, ...), said when the refusal starts
     * @param why  the finding with its numbers, naming the source
     */
    public synchronized void refused(ThreadError error, String kind, String why, Duration recheck, long nowNanos) {
        if (refusal != null && refusal.errno() == error.errno()) {
            refusal = new Refusal(error.errno(), why, refusal.sinceNanos());
            return;
        }
        log.warn("replication: IO thread stopped with {} ({}); not restarted ({}): {}; checking again every {} s",
                error.errno(), error.message(), kind, why, recheck.toSeconds());
        refusal = new Refusal(error.errno(), why, nowNanos);
    }

    /**
     * The channel is not positioned by MySQL's GTID auto-positioning: the agent leaves it stopped.
     *
     * @param mariaDb the replica is a MariaDB server (else a MySQL channel by binlog file and offset)
     */
    public void leftAlone(ThreadError error, boolean mariaDb) {
        log.info("replication: IO thread stopped with {} ({}); not restarted by the agent: {}; check what the source"
                + " holds against this replica and START SLAVE IO_THREAD by hand, or re-clone this replica", error.errno(),
                error.message(), mariaDb ? "a MariaDB channel is left as it is" : "the channel is positioned by binlog file and"
                        + " offset (AUTO_POSITION=0), and after the source's reset that position may name other transactions,"
                        + " which would be skipped or repeated");
    }

    /** The check passed ({@code facts}: the GTID sets, naming the source) and {@code statement} started the IO thread. */
    public synchronized void restarted(ThreadError error, String facts, String statement, long nowNanos) {
        counter(error.errno()).increment();
        log.info("replication: IO thread stopped with {} ({}); {}: IO thread restarted ({}{})", error.errno(), error.message(),
                facts, statement, refusal == null ? "" : ", refused for " + seconds(nowNanos) + " s before");
        refusal = null;
    }

    /** A sample where the IO thread is no longer stopped by the source: a refusal in force ends without the agent. */
    public synchronized void cleared(ReplicaState state, long nowNanos) {
        if (refusal == null) return;
        log.info("replication: IO thread no longer stopped with {} after {} s (IO thread {}, {}): not restarted by the agent;"
                + " last refused: {}", refusal.errno(), seconds(nowNanos), state.ioState(), state.ioError(), refusal.lastFinding());
        refusal = null;
    }

    private long seconds(long nowNanos) {
        return (nowNanos - refusal.sinceNanos()) / 1_000_000_000L;
    }

    private Counter counter(int errno) {
        return restarts.computeIfAbsent(errno, e -> Counter.builder("mysql.agent.replication.io.restarts")
                .tag("errno", String.valueOf(e))
                .description("times serve started a replica's IO thread again after the source stopped it with this error,"
                        + " once the source held every transaction of the replica (GTID auto-positioning only)")
                .register(registry));
    }
}

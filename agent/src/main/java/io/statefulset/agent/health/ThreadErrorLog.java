package io.statefulset.agent.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows each replication thread's last error from sample to sample and says it once when it starts (or its
 * number changes) and once when it clears, never on every sample. Also keeps
 * {@code mysql_agent_replication_errors_total{thread}} (errors seen starting) and
 * {@code mysql_agent_replication_last_error_info{thread,errno,message}} (1 while a thread reports that error).
 */
final class ThreadErrorLog {
    private static final Logger log = LoggerFactory.getLogger(ThreadErrorLog.class);
    /** Prometheus label values have no length limit, but a dashboard does. */
    private static final int MESSAGE_LABEL_MAX = 300;

    enum Thread {
        IO, SQL;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record Seen(ThreadError error, long sinceNanos) {}

    private final Map<Thread, Seen> seen = new EnumMap<>(Thread.class);
    private final Map<Thread, Counter> started = new EnumMap<>(Thread.class);
    private final MultiGauge info;

    ThreadErrorLog(MeterRegistry registry) {
        for (Thread t : Thread.values()) {
            seen.put(t, new Seen(ThreadError.NONE, 0));
            started.put(t, Counter.builder("mysql.agent.replication.errors").tag("thread", t.label())
                    .description("replication thread errors seen starting (a new Last_IO_Errno / Last_SQL_Errno)")
                    .register(registry));
        }
        info = MultiGauge.builder("mysql.agent.replication.last.error.info")
                .description("1 while a replication thread reports this error (thread, the server's errno and text)")
                .register(registry);
    }

    /** One sample of the replica (not called when mysqld did not answer: nothing is known then). */
    synchronized void observe(ReplicaState state, long nowNanos) {
        boolean changed = observe(Thread.IO, state.ioError(), state.ioState(), nowNanos);
        changed |= observe(Thread.SQL, state.sqlError(), state.sqlState(), nowNanos);
        if (changed) publish();
    }

    private boolean observe(Thread t, ThreadError now, String threadState, long nowNanos) {
        Seen before = seen.get(t);
        if (before.error().errno() == now.errno() && before.error().present() == now.present()) return false;
        if (now.present()) {
            started.get(t).increment();
            log.warn("replication {} thread error {} started ({} thread {}): {}", t, now.errno(), t, threadState, now.message());
        } else {
            log.info("replication {} thread error {} cleared after {} s ({} thread {})", t, before.error().errno(),
                    (nowNanos - before.sinceNanos()) / 1_000_000_000L, t, threadState);
        }
        seen.put(t, new Seen(now, nowNanos));
        return true;
    }

    private void publish() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Thread t : Thread.values()) {
            ThreadError e = seen.get(t).error();
            if (!e.present()) continue;
            String message = e.message().length() > MESSAGE_LABEL_MAX ? e.message().substring(0, MESSAGE_LABEL_MAX) : e.message();
            rows.add(MultiGauge.Row.of(Tags.of("thread", t.label(), "errno", String.valueOf(e.errno()), "message", message), 1));
        }
        info.register(rows, true);
    }
}

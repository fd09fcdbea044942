package io.statefulset.agent.replication.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulset.agent.health.ReplicaState;
import io.statefulset.agent.health.ThreadError;
import io.statefulset.agent.testing.LogCapture;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A refusal is said when it starts and when it ends, a restart once per restart and counted by errno. */
class IoRestartLogTest {
    private static final ThreadError LOST_LOG = new ThreadError(13114, "Got fatal error 1236 from source when reading data from"
            + " binary log: 'could not find next log'");
    private static final Duration RECHECK = Duration.ofSeconds(5);
    private static final long SECOND = 1_000_000_000L;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final IoRestartLog restarts = new IoRestartLog(registry);

    @Test
    void aRefusalIsSaidOnceAndTheRestartThatEndsItNamesHowLongItLasted() {
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < 3; i++) {
                restarts.refused(LOST_LOG, "errant_transactions", "this replica has transactions the source s:3306 never had",
                        RECHECK, i * 5 * SECOND);
            }
            assertEquals(1, logs.count("replication: IO thread stopped with 13114 (Got fatal error 1236 from source when reading"
                    + " data from binary log: 'could not find next log'); not restarted (errant_transactions): this replica has"
                    + " transactions the source s:3306 never had; checking again every 5 s"), logs.text());
            restarts.refused(LOST_LOG, "source_unanswered", "the source s:3306 does not answer", RECHECK, 15 * SECOND);
            restarts.refused(LOST_LOG, "errant_transactions", "this replica has transactions the source s:3306 never had",
                    RECHECK, 20 * SECOND);
            assertEquals(1, logs.count("not restarted"), "what refuses changed, the refusal goes on: " + logs.text());

            restarts.restarted(LOST_LOG, "the source s:3306 has every GTID this replica needs", "START REPLICA IO_THREAD", 22 * SECOND);
            assertEquals(1, logs.count("replication: IO thread stopped with 13114 (Got fatal error 1236 from source when reading data"
                    + " from binary log: 'could not find next log'); the source s:3306 has every GTID this replica needs: IO thread"
                    + " restarted (START REPLICA IO_THREAD, refused for 22 s before)"), logs.text());
            restarts.cleared(running(), 23 * SECOND);
            assertEquals(0, logs.count("no longer stopped"), "the restart ended the refusal: " + logs.text());
        }
        assertEquals(1.0, registry.counter("mysql.agent.replication.io.restarts", "errno", "13114").count());
        assertEquals(0.0, registry.counter("mysql.agent.replication.io.restarts", "errno", "1236").count(), "present from start-up");
    }

    @Test
    void aSourceThatAlternatesBetweenNotAnsweringAndErrantIsOneRefusalEndedWithTheLastFinding() {
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < 6; i++) {
                restarts.refused(LOST_LOG, i % 2 == 0 ? "source_unanswered" : "errant_transactions",
                        i % 2 == 0 ? "the source s:3306 does not answer" : "errant GTIDs 'u:4'", RECHECK, i * 5 * SECOND);
            }
            assertEquals(1, logs.count("not restarted (source_unanswered): the source s:3306 does not answer;"), logs.text());
            assertEquals(1, logs.count("not restarted"), logs.text());
            restarts.cleared(running(), 30 * SECOND);
            assertEquals(1, logs.count("replication: IO thread no longer stopped with 13114 after 30 s (IO thread Yes, no error):"
                    + " not restarted by the agent; last refused: errant GTIDs 'u:4'"), logs.text());
            restarts.refused(new ThreadError(1236, "another stop"), "errant_transactions", "errant GTIDs 'u:4'", RECHECK, 31 * SECOND);
            assertEquals(1, logs.count("IO thread stopped with 1236 (another stop); not restarted (errant_transactions)"),
                    "a new stop, a new line: " + logs.text());
        }
    }

    @Test
    void aChannelTheAgentDoesNotRestartSaysWhyAndWhatTheOperatorDoes() {
        try (LogCapture logs = LogCapture.start()) {
            restarts.leftAlone(LOST_LOG, false);
            restarts.leftAlone(LOST_LOG, true);
            assertEquals(1, logs.count("replication: IO thread stopped with 13114 (Got fatal error 1236 from source when reading"
                    + " data from binary log: 'could not find next log'); not restarted by the agent: the channel is positioned by"
                    + " binlog file and offset (AUTO_POSITION=0)"), logs.text());
            assertEquals(1, logs.count("not restarted by the agent: a MariaDB channel is left as it is; check what the source"
                    + " holds against this replica and START SLAVE IO_THREAD by hand, or re-clone this replica"), logs.text());
        }
        assertEquals(0.0, registry.counter("mysql.agent.replication.io.restarts", "errno", "13114").count());
    }

    @Test
    void aRefusalThatEndsWithoutTheAgentIsSaidOnceAndNothingIsCounted() {
        try (LogCapture logs = LogCapture.start()) {
            restarts.restarted(LOST_LOG, "the source s:3306 has every GTID this replica needs", "START REPLICA IO_THREAD", 0);
            assertEquals(1, logs.count("IO thread restarted (START REPLICA IO_THREAD)"), "no refusal before: " + logs.text());
            restarts.cleared(running(), SECOND);
            assertEquals(0, logs.count("no longer stopped"), "nothing was refused: " + logs.text());

            restarts.refused(LOST_LOG, "binlog_purged", "the source s:3306 has purged binlogs this replica needs", RECHECK, 10 * SECOND);
            restarts.cleared(running(), 17 * SECOND);
            restarts.cleared(running(), 18 * SECOND);
            assertEquals(1, logs.count("replication: IO thread no longer stopped with 13114 after 7 s (IO thread Yes, no error):"
                    + " not restarted by the agent; last refused: the source s:3306 has purged binlogs this replica needs"), logs.text());
        }
        assertEquals(1.0, registry.counter("mysql.agent.replication.io.restarts", "errno", "13114").count());
    }

    private static ReplicaState running() {
        return new ReplicaState("Yes", "Yes", OptionalLong.of(0), ThreadError.NONE, ThreadError.NONE);
    }
}

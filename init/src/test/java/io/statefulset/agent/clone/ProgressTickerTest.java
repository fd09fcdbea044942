package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.testing.LogCapture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressTickerTest {
    private final TransferProgress progress = new TransferProgress(new HostPort("db-0", 3307));

    private static long lines(LogCapture logs) {
        return logs.text().lines().filter(l -> l.contains("clone from db-0:3307: ")).count();
    }

    @Test
    void aLineEveryIntervalWhileConnectedAndNoneAfter() {
        try (LogCapture logs = LogCapture.start()) {
            EmbeddedChannel ch = new EmbeddedChannel(new ProgressTicker(progress, Duration.ofSeconds(10)));
            ch.freezeTime();
            progress.received(2_500_000);
            ch.advanceTimeBy(9, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            assertEquals(0, lines(logs));
            ch.advanceTimeBy(1, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            assertEquals(1, lines(logs));
            assertTrue(logs.text().contains("clone from db-0:3307: 2.5 MB received, "), logs.text());
            ch.advanceTimeBy(10, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            assertEquals(2, lines(logs));

            ch.close();
            ch.advanceTimeBy(30, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            assertEquals(2, lines(logs), "the ticker stops with the connection");
        }
    }
}

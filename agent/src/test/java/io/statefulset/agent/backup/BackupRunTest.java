package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BackupRunTest {
    @Test
    void aStalledBackupAsksForASmallRetryAfter() {
        BackupRun run = new BackupRun(new EmbeddedChannel());
        // A terabyte to go at one byte so far: the estimate is days; a waiting peer must still ask again soon.
        run.sizeEstimate(OptionalLong.of(1L << 40));
        run.addBytes(1);
        assertEquals(BackupRun.MAX_RETRY_AFTER_SECONDS, run.retryAfterSeconds());
    }

    @Test
    void withoutAnEstimateTheDefaultIsAsked() {
        assertEquals(BackupRun.DEFAULT_RETRY_AFTER_SECONDS, new BackupRun(new EmbeddedChannel()).retryAfterSeconds());
    }
}

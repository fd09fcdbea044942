package io.statefulset.agent.backup;

import io.netty.channel.Channel;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One backup at a time: a backup reads every page of the data dir, and two at once would halve both and double
 * the donor's I/O load.
 */
final class BackupSlot {
    private final AtomicReference<BackupRun> current = new AtomicReference<>();

    /** @return the new run, or empty when another backup holds the slot */
    Optional<BackupRun> tryAcquire(Channel channel) {
        BackupRun run = new BackupRun(channel);
        return current.compareAndSet(null, run) ? Optional.of(run) : Optional.empty();
    }

    void release(BackupRun run) {
        current.compareAndSet(run, null);
    }

    Optional<BackupRun> current() {
        return Optional.ofNullable(current.get());
    }
}

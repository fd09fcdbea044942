package io.statefulset.agent.clone;

import java.time.Duration;
import java.util.Optional;

/**
 * What {@link ReplicaClone#run()} did: nothing (already initialised), finished an interrupted hand-over, or cloned.
 *
 * @param transfer the verified transfer, when this run cloned
 * @param prepare  how long {@code --prepare} took, when this run cloned
 * @param total    the whole run, from inspecting the data dir to the end of the hand-over
 */
public record CloneOutcome(DataDirState found, Optional<DonorTransfer> transfer, Duration prepare, Duration total) {
    public boolean cloned() {
        return transfer.isPresent();
    }
}

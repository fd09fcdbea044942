package io.statefulset.agent.clone;

import io.statefulset.agent.common.backuptool.FailureCause;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@link ReplicaClone#run()} did: nothing (already initialised), finished an interrupted hand-over, or cloned.
 *
 * @param transfer      the verified transfer, when this run cloned
 * @param prepare       how long {@code --prepare} took, when this run cloned
 * @param total         the whole run, from inspecting the data dir to the end of the hand-over
 * @param donorFailures donor attempts that failed before the clone succeeded, by cause
 */
public record CloneOutcome(DataDirState found, Optional<DonorTransfer> transfer, Duration prepare, Duration total,
                           Map<FailureCause, Integer> donorFailures) {
    public boolean cloned() {
        return transfer.isPresent();
    }

    /** "2 donor failures (redo-wrap 2)", or empty when every first try held. */
    public String describeFailures() {
        int n = donorFailures.values().stream().mapToInt(Integer::intValue).sum();
        if (n == 0) return "";
        return n + " donor failure" + (n == 1 ? "" : "s") + " (" + donorFailures.entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }
}

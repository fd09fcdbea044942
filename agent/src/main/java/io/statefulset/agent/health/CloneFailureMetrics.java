package io.statefulset.agent.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.statefulset.agent.clone.CloneFailureRecord;
import io.statefulset.agent.common.backuptool.FailureCause;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code mysql_agent_clone_donor_failures{cause}}: the donor failures this pod's clone went through before it
 * succeeded, as {@code init} recorded them in the data dir ({@link CloneFailureRecord}). A gauge, not a counter: the
 * number belongs to the clone, and a restarted serve must not count it again. Every cause is listed, 0 when none.
 */
public final class CloneFailureMetrics {
    private CloneFailureMetrics() {}

    public static void register(MeterRegistry registry, Path dataDir) {
        Map<FailureCause, Integer> recorded = CloneFailureRecord.read(dataDir);
        for (FailureCause cause : FailureCause.values()) {
            int n = recorded.getOrDefault(cause, 0);
            Gauge.builder("mysql.agent.clone.donor.failures", () -> n)
                    .description("Donor failures the clone of this pod's data dir went through before it succeeded, by cause (recorded by init)")
                    .tag("cause", cause.label())
                    .register(registry);
        }
    }
}

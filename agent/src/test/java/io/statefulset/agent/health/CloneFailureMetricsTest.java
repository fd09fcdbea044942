package io.statefulset.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statefulset.agent.clone.CloneFailureRecord;
import io.statefulset.agent.common.backuptool.FailureCause;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloneFailureMetricsTest {
    @Test
    void theClonesRecordedFailuresAreExportedByCauseAndTheRestAreZero(@TempDir Path data) throws Exception {
        CloneFailureRecord.write(data, Map.of(FailureCause.REDO_WRAP, 2, FailureCause.STALL, 1));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CloneFailureMetrics.register(registry, data);
        String text = registry.scrape();
        assertTrue(text.contains("mysql_agent_clone_donor_failures{cause=\"redo-wrap\"} 2.0"), text);
        assertTrue(text.contains("mysql_agent_clone_donor_failures{cause=\"stall\"} 1.0"), text);
        assertTrue(text.contains("mysql_agent_clone_donor_failures{cause=\"prepare\"} 0.0"), text);
    }

    @Test
    void aRecordThatIsNotOursIsReadAsNothing(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve(CloneFailureRecord.FILE), "redo-wrap=x\nfrom-the-future=3\nno equals sign\nstall=1\n");
        assertEquals(Map.of(FailureCause.STALL, 1), CloneFailureRecord.read(data));
        Files.writeString(data.resolve(CloneFailureRecord.FILE), "stall=1\n".repeat(1000));
        assertEquals(Map.of(), CloneFailureRecord.read(data), "too big to be a record");
        assertEquals(Map.of(), CloneFailureRecord.read(data.resolve("missing")));
    }
}

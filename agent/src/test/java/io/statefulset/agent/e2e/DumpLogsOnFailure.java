package io.statefulset.agent.e2e;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a test fails, prints the cluster's status table and every pod's log tail to the test output
 * (target/failsafe-reports/*-output.txt), before @AfterAll tears the cluster and its logs down.
 */
final class DumpLogsOnFailure implements TestWatcher {
    private final Supplier<LocalCluster> cluster;

    DumpLogsOnFailure(Supplier<LocalCluster> cluster) {
        this.cluster = cluster;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        LocalCluster c = cluster.get();
        if (c == null) return;
        System.out.println("==== " + context.getDisplayName() + " failed; cluster " + c.baseDir() + " at that moment:");
        System.out.println(c.diagnostics());
    }
}

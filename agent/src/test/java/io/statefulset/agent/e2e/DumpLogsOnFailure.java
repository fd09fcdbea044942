package io.statefulset.agent.e2e;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * When a test fails, prints the cluster's status table and every pod's log tail to the test output
 * (target/failsafe-reports/*-output.txt). Runs right after the test method, before any @AfterEach/@AfterAll tears
 * the cluster and its logs down.
 */
final class DumpLogsOnFailure implements AfterTestExecutionCallback {
    private final Supplier<LocalCluster> cluster;

    DumpLogsOnFailure(Supplier<LocalCluster> cluster) {
        this.cluster = cluster;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        LocalCluster c = cluster.get();
        if (c == null || context.getExecutionException().isEmpty()) return;
        System.out.println("==== " + context.getDisplayName() + " failed: " + context.getExecutionException().get());
        System.out.println("==== cluster " + c.baseDir() + " at that moment:");
        System.out.println(c.diagnostics());
    }
}

package io.statefulset.agent.flow;

import io.statefulset.agent.serve.StopSignal;
import java.util.concurrent.CompletableFuture;

/** The test's SIGTERM for a {@code serve} running inside the test JVM. */
final class ManualStop implements StopSignal {
    private final CompletableFuture<Runnable> stop = new CompletableFuture<>();
    @Override
    public Watch watch(Runnable stopAction) {
        stop.complete(stopAction);
        return exitCode -> { }; // the exit code comes back from Main.run itself
    }

    /** Whether serve got as far as watching for a stop (it serves). */
    boolean watched() {
        return stop.isDone();
    }

    /** What the JVM's shutdown hook would do on SIGTERM: serve's stop, on a thread of its own; returns when it is done. */
    void request() throws InterruptedException {
        Runnable action = stop.getNow(null);
        if (action == null) throw new IllegalStateException("serve never started serving, there is nothing to stop");
        Thread sigterm = new Thread(action, "test-sigterm");
        sigterm.start();
        sigterm.join();
    }
}

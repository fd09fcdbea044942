package io.statefulset.agent.serve;

import io.statefulset.agent.http.AgentServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM through a JVM shutdown hook. After a signal the JVM ends with 128 + the signal's number (143) once the
 * hooks are done, whatever {@code main} returns; the CLI contract says a clean stop exits 0. So the hook waits for
 * {@code serve} to finish and halts with serve's own exit code.
 */
final class SigtermStop implements StopSignal {
    private static final Logger log = LoggerFactory.getLogger(SigtermStop.class);
    /** {@link AgentServer#close()} takes at most its grace period plus the event loops' quiet period. */
    private static final Duration FINISH_WAIT = AgentServer.STOP_GRACE.plusSeconds(5);

    @Override
    public Watch watch(Runnable stop) {
        CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        Thread hook = new Thread(() -> {
            stop.run();
            Runtime.getRuntime().halt(awaitExitCode(exitCode));
        }, "sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
        return code -> {
            exitCode.complete(code);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it ends the process with this code.
            }
        };
    }

    private static int awaitExitCode(CompletableFuture<Integer> exitCode) {
        try {
            return exitCode.get(FINISH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.error("serve did not finish within {} s of SIGTERM: exiting 1", FINISH_WAIT.toSeconds());
            return 1;
        } catch (InterruptedException | ExecutionException e) {
            return 1;
        }
    }
}

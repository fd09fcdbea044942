package io.statefulset.agent.backup;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running backup tool: its stdout is the stream, its stderr goes to the debug log and to a {@link StderrTail}.
 * {@link #killTree()} also kills whatever the tool forked, so an aborted backup leaves no process behind.
 */
final class BackupProcess {
    private static final Logger log = LoggerFactory.getLogger(BackupProcess.class);
    /** Passwords the agent itself was given; the child gets its password from the defaults file only. */
    private static final List<String> WITHHELD_ENV = List.of("MYSQL_PWD", "MYSQL_PASSWORD", "AGENT_REPLICATION_PASSWORD");

    private final Process process;
    private final Thread stderrDrain;

    private BackupProcess(Process process, Thread stderrDrain) {
        this.process = process;
        this.stderrDrain = stderrDrain;
    }

    static BackupProcess start(List<String> argv, Map<String, String> env, StderrTail tail) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> childEnv = pb.environment();
        childEnv.clear();
        childEnv.putAll(env);
        WITHHELD_ENV.forEach(childEnv::remove);
        Process process = pb.start();
        Thread drain = new Thread(() -> drain(process, tail), "backup-stderr-" + process.pid());
        drain.setDaemon(true);
        drain.start();
        return new BackupProcess(process, drain);
    }

    private static void drain(Process process, StderrTail tail) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String kept = tail.add(line);
                log.debug("backup tool [{}]: {}", process.pid(), kept);
            }
        } catch (IOException e) {
            log.debug("backup tool [{}]: stderr closed: {}", process.pid(), e.toString());
        }
    }

    long pid() {
        return process.pid();
    }

    InputStream stdout() {
        return process.getInputStream();
    }

    /** Waits for the exit and for the last stderr line, so that the tail is complete when the trailer is built. */
    int awaitExit() throws InterruptedException {
        int code = process.waitFor();
        stderrDrain.join(TimeUnit.SECONDS.toMillis(5));
        return code;
    }

    /** SIGKILL to the tool and every descendant it started (mariadb-backup may fork helpers). */
    void killTree() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }
}

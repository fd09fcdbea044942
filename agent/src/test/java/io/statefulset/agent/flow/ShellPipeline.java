package io.statefulset.agent.flow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A bash pipeline as a user types it ({@code set -o pipefail}), with its output and errors in a log file. */
final class ShellPipeline {
    private ShellPipeline() {}

    /** Runs {@code script} and returns its exit code; the log holds stdout and stderr. */
    static int run(String script, Path log) throws Exception {
        Process p = new ProcessBuilder(List.of("bash", "-c", "set -o pipefail; " + script)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("did not finish in 120 s: " + script + "\n" + Files.readString(log));
        }
        return p.exitValue();
    }

    /** Runs {@code script} and fails, showing its log, unless it exits 0. */
    static void succeed(String script, Path log) throws Exception {
        int exit = run(script, log);
        if (exit != 0) throw new AssertionError("exit " + exit + ": " + script + "\n" + Files.readString(log));
    }

    /** {@code mariadb-backup --prepare}, as the tutorial's clone container runs it after {@code xbstream -x}. */
    static void prepare(Path dir, Path tmp, Path log) throws Exception {
        succeed("mariadb-backup --prepare --target-dir=" + dir + " --tmpdir=" + tmp, log);
    }
}

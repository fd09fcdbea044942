package io.statefulset.agent.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real program run to completion (curl, ncat, mbstream, mariadb-backup), with its output for assertions. */
record ExternalCommand(int exitCode, String output) {

    static ExternalCommand run(Path dir, List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(argv + " did not end in 120 s");
        }
        return new ExternalCommand(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** A shell pipeline, failing if any stage fails. */
    static ExternalCommand pipeline(Path dir, String script) throws IOException, InterruptedException {
        return run(dir, List.of("bash", "-c", "set -o pipefail; " + script));
    }
}

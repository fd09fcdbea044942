package io.statefulset.agent.testing;

import io.statefulset.agent.common.backuptool.ProgramPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real program run to completion (curl, ncat, mbstream, mariadb-backup, mysqld --initialize, a bash pipeline),
 * with its exit code and output for assertions: the tests' one way to run a command and to find one on PATH.
 * A command still running after {@link #TIMEOUT_SECONDS} is killed with its children and fails the test.
 */
public record ExternalCommand(int exitCode, String output) {
    public static final int TIMEOUT_SECONDS = 120;

    /** Runs {@code argv} in {@code dir}; stdout and stderr together in {@link #output()}. */
    public static ExternalCommand run(Path dir, List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        awaitEnd(p, argv);
        return new ExternalCommand(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** A shell pipeline as a user types it ({@code set -o pipefail}: it fails if any stage fails). */
    public static ExternalCommand pipeline(Path dir, String script) throws IOException, InterruptedException {
        return run(dir, bash(script));
    }

    /** Runs {@code argv} with stdout and stderr in {@code log} (for long outputs); returns the exit code. */
    public static int runLogged(List<String> argv, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitEnd(p, argv);
        return p.exitValue();
    }

    /** {@link #runLogged}, failing with the log unless the command exits 0. */
    public static void succeed(List<String> argv, Path log) throws IOException, InterruptedException {
        int exit = runLogged(argv, log);
        if (exit != 0) throw new AssertionError("exit " + exit + ": " + String.join(" ", argv) + "\n" + Files.readString(log));
    }

    /** {@code bash -c "set -o pipefail; script"}. */
    public static List<String> bash(String script) {
        return List.of("bash", "-c", "set -o pipefail; " + script);
    }

    /** A program on PATH (or in /usr/sbin, where Debian puts mariadbd and which is not on every PATH). */
    public static Path program(String name) {
        Map<String, String> env = Map.of("PATH", ProgramPath.searchPath(System.getenv()) + ":/usr/sbin");
        return ProgramPath.find(name, env).orElseThrow(() -> new AssertionError(name + " is not on PATH: run bin/setup-deps"));
    }

    private static void awaitEnd(Process p, List<String> argv) throws InterruptedException {
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", argv) + " did not end in " + TIMEOUT_SECONDS + " s");
        }
    }
}

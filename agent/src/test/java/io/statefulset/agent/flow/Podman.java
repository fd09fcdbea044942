package io.statefulset.agent.flow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Podman through {@code bin/image}, the one place that knows the runtime flags this machine needs (runc, cgroupfs,
 * the containers.conf) and how the base image is made without a registry.
 */
final class Podman {
    private final Path tool;

    private Podman(Path tool) {
        this.tool = tool;
    }

    /** {@code bin/image} from the system property the failsafe configuration sets. */
    static Podman fromBuild() {
        String tool = System.getProperty("image.tool");
        if (tool == null) throw new IllegalStateException("system property image.tool (bin/image) is not set: run through mvn verify");
        return new Podman(Path.of(tool));
    }

    /** What a finished command printed: stdout, and stderr apart (bin/image reports on stderr). */
    record Result(List<String> command, int exitCode, String out, String err) {
        Result orFail() {
            if (exitCode != 0) throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + err + out);
            return this;
        }
    }

    /** Empty when podman runs containers here, else podman's own reason (not installed, runtime refused). */
    Optional<String> whyItCannotRun() throws IOException, InterruptedException {
        Result check = tool(Duration.ofMinutes(10), "check");
        if (check.exitCode() == 0) return Optional.empty();
        String reason = check.out().strip();
        // bin/image check prints the reason on stdout for these two cases; anything else (debootstrap failed) is a failure.
        if (reason.startsWith("podman is not installed") || reason.startsWith("podman cannot run a container")) {
            return Optional.of(reason);
        }
        throw new AssertionError("bin/image check failed:\n" + check.err() + check.out());
    }

    /**
     * Builds the flavor's image from docker/Dockerfile with the jar of this build; returns its id (not the tag,
     * which a concurrent build in another checkout may move).
     */
    String build(String flavor) throws IOException, InterruptedException {
        Result r = tool(Duration.ofMinutes(15), "build", flavor).orFail();
        return r.out().strip();
    }

    Result podman(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("podman"));
        argv.addAll(List.of(args));
        return tool(timeout, argv.toArray(String[]::new));
    }

    private Result tool(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("podman", ".out");
        Path err = Files.createTempFile("podman", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout.toSeconds() + " s:\n"
                        + Files.readString(err));
            }
            return new Result(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

package io.statefulset.agent.backup;

import io.statefulset.agent.common.secret.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Another JVM that uses backup scratch dirs the way serve does, for the stale-dir tests: {@code hold} creates one
 * (password file and lock included), prints its path and keeps it until stdin closes or it is killed; {@code sweep}
 * removes stale dirs, printing each sweep's removed names, once or ({@code sweep-loop}) until stdin closes.
 */
final class ScratchProcess implements AutoCloseable {
    private static final long SWEEP_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private final Process process;
    private final BufferedReader stdout;

    private ScratchProcess(Process process) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        Path parent = Path.of(args[1]);
        switch (args[0]) {
            case "hold" -> {
                BackupScratch scratch = BackupScratch.create(parent, Optional.of(Secret.of("held-password", "test")));
                System.out.println(scratch.root());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // held until the test closes stdin or kills this process
                }
                scratch.delete();
            }
            case "sweep" -> System.out.println(BackupScratch.removeStale(parent).removed());
            case "sweep-loop" -> {
                AtomicBoolean stdinOpen = new AtomicBoolean(true);
                Thread watch = new Thread(() -> {
                    try {
                        while (System.in.read() >= 0) {
                            // until the test closes stdin
                        }
                    } catch (IOException e) {
                        // a broken stdin stops the loop too
                    }
                    stdinOpen.set(false);
                });
                watch.setDaemon(true);
                watch.start();
                System.out.println("sweeping");
                System.out.flush();
                while (stdinOpen.get()) {
                    List<String> removed = BackupScratch.removeStale(parent).removed();
                    if (!removed.isEmpty()) System.out.println(removed);
                    // A load generator, not synchronisation: the pause keeps the loop off a core of a 2-core machine;
                    // the stress test's power to hit the race lies in how many backups it runs against the loop.
                    LockSupport.parkNanos(SWEEP_PAUSE_NANOS);
                }
            }
            default -> throw new IllegalArgumentException("hold, sweep or sweep-loop, not " + args[0]);
        }
    }

    static ScratchProcess start(String mode, Path parent, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ScratchProcess(new ProcessBuilder(java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), ScratchProcess.class.getName(), mode, parent.toString())
                .redirectError(Redirect.appendTo(log.toFile())).start());
    }

    /** The next line the process printed; fails the test when none comes in 30 s. */
    String line() throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }).get(30, TimeUnit.SECONDS);
        if (line == null) throw new AssertionError("scratch process exited " + process.waitFor() + " without a line");
        return line;
    }

    /** SIGKILL, as the OOM killer or the kubelet after the grace period send it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("scratch process survived SIGKILL");
    }

    /** Closes stdin: a holder deletes its dir and exits, a sweep loop stops. */
    int finish() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("scratch process did not finish");
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}

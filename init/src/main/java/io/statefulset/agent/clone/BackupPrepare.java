package io.statefulset.agent.clone;

import io.statefulset.agent.common.backuptool.BackupTool;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.backuptool.ToolErrorLines;
import io.statefulset.agent.common.identity.HostPort;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <tool> --prepare --target-dir=<dir>}: applies the redo log the backup carried so that the files are a
 * consistent data dir. Its output goes to a log file (bounded memory however much it prints); on failure the tool's
 * error lines near the end of that log ({@link ToolErrorLines}) are the error.
 */
public final class BackupPrepare {
    private static final Logger log = LoggerFactory.getLogger(BackupPrepare.class);
    /** The end of the log holds the failure: InnoDB's recovery prints little after it gives up. */
    private static final int TAIL_BYTES = 64 * 1024;

    private final BackupTool tool;

    public BackupPrepare(BackupTool tool) {
        this.tool = tool;
    }

    public BackupTool tool() {
        return tool;
    }

    /**
     * @return how long it took
     * @throws DonorFailedException the tool failed: the backup cannot be used
     * @throws IOException          the tool could not be started at all
     */
    public Duration run(Path target, Path logFile, HostPort donor) throws DonorFailedException, IOException, InterruptedException {
        long start = System.nanoTime();
        List<String> command = List.of(tool.executable().toString(), "--prepare", "--target-dir=" + target);
        log.info("preparing the clone: {} --prepare --target-dir={}", tool.name(), target);
        Process process;
        try {
            process = new ProcessBuilder(command).directory(target.toFile()).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot run " + tool.executable() + ": " + e.getMessage() + " (check --backup-tool)", e);
        }
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (exit != 0) {
            throw new DonorFailedException(FailureCause.PREPARE, tool.name() + " --prepare failed (exit " + exit + ") on the clone from " + donor
                    + " after " + DonorRounds.human(took) + ": " + tail(logFile) + "; the backup is incomplete, or the"
                    + " backup tool does not match the donor's server version");
        }
        log.info("prepare done in {} ms", took.toMillis());
        return took;
    }

    /** The tool's error lines in the last KB of the log, joined on one line. */
    private static String tail(Path logFile) {
        try (SeekableByteChannel ch = Files.newByteChannel(logFile)) {
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size, TAIL_BYTES));
            ch.position(size - buf.capacity());
            while (buf.hasRemaining() && ch.read(buf) > 0) { }
            List<String> lines = ToolErrorLines.of(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).lines().toList());
            if (lines.isEmpty()) return "(it printed nothing)";
            return String.join(" | ", lines);
        } catch (IOException e) {
            return "(its output is unreadable: " + e.getMessage() + ")";
        }
    }
}

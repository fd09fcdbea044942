package io.statefulset.agent.backup;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.statefulset.agent.common.backuptool.BackupTool;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.backuptool.RedoProtection;
import io.statefulset.agent.common.backuptool.ToolVersion;
import io.statefulset.agent.common.fs.FileTree;
import io.statefulset.agent.common.secret.SecretSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one backup from start to verdict on its own thread: starts the tool, pumps its stdout to the client only
 * while the client can take it, and always ends with the tool gone, the scratch dir deleted and the slot free.
 */
final class BackupStreamer {
    private static final Logger log = LoggerFactory.getLogger(BackupStreamer.class);
    static final int CHUNK = 64 * 1024;

    private final BackupSettings options;
    private final Map<String, String> env;
    private final Path scratchParent;
    private final BackupMetrics metrics;
    private final BackupSlot slot;
    /** Per tool path: its version is asked once, not on every backup. */
    private final Map<Path, RedoProtection> redoProtection = new ConcurrentHashMap<>();

    BackupStreamer(BackupSettings options, Map<String, String> env, Path scratchParent, BackupMetrics metrics, BackupSlot slot) {
        this.options = options;
        this.env = env;
        this.scratchParent = scratchParent;
        this.metrics = metrics;
        this.slot = slot;
    }

    /** The backup tool resolves now (a PATH lookup, no process started). */
    boolean toolInstalled() {
        try {
            BackupTool.resolve(options.backupTool(), env);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    void stream(BackupRun run, BackupSink sink, BodyEncoding encoding, SendRate rate) {
        metrics.started();
        // Secrets are read per backup: a rotated password is in this backup's defaults file and masked in its stderr.
        StderrTail tail = new StderrTail(options.masked().stream().map(s -> s.current().reveal()).toList());
        BackupScratch scratch = null;
        BackupProcess process = null;
        BackupOutcome outcome = null;
        boolean begun = false;
        CRC32C crc = new CRC32C();
        try {
            BackupTool tool;
            RedoProtection redo;
            try {
                tool = BackupTool.resolve(options.backupTool(), env);
                redo = redoProtection.computeIfAbsent(tool.executable(), p -> new RedoProtection(tool, ToolVersion.detect(tool, env)));
                scratch = BackupScratch.create(scratchParent, options.mysqlPassword().map(SecretSource::current));
                List<String> argv = new BackupCommand(tool, options.mysql(), options.mysqlUser(), redo.backupOptions(),
                        options.parallel()).argv(scratch);
                process = BackupProcess.start(WidePipe.wrap(argv, env), env, tail);
            } catch (IOException | IllegalArgumentException e) {
                String why = "cannot start the backup: " + e.getMessage();
                sink.refuse(why + "\n");
                outcome = new BackupOutcome(BackupOutcome.FAILED, why, 0, 0, -1, System.nanoTime() - run.startedNanos(),
                        Optional.of(FailureCause.TOOL_START));
                return;
            }
            run.attach(process);
            OptionalLong estimate = RedoLogSize.without(FileTree.sizeEstimate(options.dataDir()), options.dataDir());
            run.sizeEstimate(estimate);
            log.info("backup for {} ({}, {}) started: {} pid {}{}, size estimate {}; {}", run.client(), sink.mode(),
                    rate.describe(), tool.name(), process.pid(), options.parallel() > 1 ? ", --parallel=" + options.parallel() : "",
                    estimate.isPresent() ? estimate.getAsLong() + " bytes" : "unknown", redo.describe());
            sink.begin(estimate);
            begun = true;
            pump(run, sink, process.stdout(), crc);
            if (run.abortReason().isEmpty() && !run.channel().isActive()) run.abort(FailureCause.CLIENT_GONE, "client went away");
            outcome = verdict(run, tail, process.awaitExit(), crc, tool, redo);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.abort(FailureCause.DONOR_STOPPING, "donor interrupted");
        } catch (RuntimeException e) {
            log.error("backup for {} broke down", run.client(), e);
            run.abort(FailureCause.AGENT, "agent error: " + e);
        } finally {
            if (process != null) process.killTree(); // no-op after a normal exit; stops strays after a failure here
            deleteScratch(scratch);
            if (outcome == null) {
                String status = run.channel().isActive() ? BackupOutcome.FAILED : BackupOutcome.ABORTED;
                outcome = new BackupOutcome(status, run.abortReason().orElse("agent error"), run.bytes(),
                        (int) crc.getValue(), -1, System.nanoTime() - run.startedNanos(),
                        Optional.of(run.abortCause().orElse(FailureCause.AGENT)));
            }
            close(run, sink, outcome, begun, encoding, rate);
        }
    }

    /**
     * The books are closed before the client hears the verdict, so that what it sees next (metrics, a new
     * backup) already counts this one.
     */
    private void close(BackupRun run, BackupSink sink, BackupOutcome outcome, boolean begun, BodyEncoding encoding, SendRate rate) {
        // What reached the socket so far; the last chunk's few bytes may still be on their way.
        long wire = rate.wireBytes();
        logSummary(run, sink, outcome, wire);
        metrics.ended(outcome, encoding, wire);
        slot.release(run);
        if (begun && !outcome.status().equals(BackupOutcome.ABORTED)) sink.finish(outcome);
        else run.channel().close(); // after a refusal this only repeats the close its reply scheduled
        run.finished();
    }

    private void pump(BackupRun run, BackupSink sink, InputStream stdout, CRC32C crc) throws InterruptedException {
        byte[] buf = new byte[CHUNK];
        ChannelFutureListener onWriteFailure = f -> {
            if (!f.isSuccess()) {
                run.abort(FailureCause.CLIENT_GONE, "client went away (" + f.cause().getMessage() + ")");
                f.channel().close();
            }
        };
        try (stdout) {
            while (run.awaitWritable(options.sendStallTimeout())) {
                int n = stdout.read(buf);
                if (n < 0) return;
                crc.update(buf, 0, n);
                ByteBuf chunk = sink.channel().alloc().directBuffer(n).writeBytes(buf, 0, n);
                run.addBytes(n);
                metrics.sent(n);
                sink.write(chunk).addListener(onWriteFailure);
            }
        } catch (IOException e) {
            // The pipe breaks when an abort killed the tool; otherwise it is news.
            if (run.abortReason().isEmpty()) run.abort(FailureCause.AGENT, "reading the backup tool's output failed: " + e.getMessage());
        }
    }

    private BackupOutcome verdict(BackupRun run, StderrTail tail, int exit, CRC32C crc, BackupTool tool, RedoProtection redo) {
        long nanos = System.nanoTime() - run.startedNanos();
        int crcValue = (int) crc.getValue();
        Optional<String> aborted = run.abortReason();
        if (aborted.isPresent()) {
            // Aborted with the client still there (donor shutting down): it can still be told why.
            String status = run.channel().isActive() ? BackupOutcome.FAILED : BackupOutcome.ABORTED;
            return new BackupOutcome(status, aborted.get(), run.bytes(), crcValue, exit, nanos, run.abortCause());
        }
        if (exit == 0) return new BackupOutcome(BackupOutcome.SUCCESS, "", run.bytes(), crcValue, exit, nanos, Optional.empty());
        BackupFailureReport report = BackupFailureReport.of(tool.name(), exit, tail.lines(), Duration.ofNanos(nanos), redo,
                RedoLogSize.of(options.dataDir()));
        return new BackupOutcome(BackupOutcome.FAILED, StderrTail.headerValue(report.text()), run.bytes(), crcValue, exit, nanos,
                Optional.of(report.cause()));
    }

    private static void deleteScratch(BackupScratch scratch) {
        if (scratch == null) return;
        try {
            scratch.delete();
        } catch (IOException e) {
            log.warn("{}; delete it by hand", e.getMessage());
        }
    }

    private static void logSummary(BackupRun run, BackupSink sink, BackupOutcome o, long wireBytes) {
        String numbers = String.format("%d bytes in %.1f s (%.1f MB/s), exit %d, %d bytes on the wire (%.1f MB/s, ratio %.2f)",
                o.bytes(), o.seconds(), o.megabytesPerSecond(), o.exitCode(), wireBytes,
                o.seconds() > 0 ? wireBytes / o.seconds() / 1e6 : 0.0, wireBytes > 0 ? (double) o.bytes() / wireBytes : 1.0);
        switch (o.status()) {
            case BackupOutcome.SUCCESS -> log.info("backup for {} ({}) succeeded: {}", run.client(), sink.mode(), numbers);
            case BackupOutcome.ABORTED -> log.warn("backup for {} ({}) aborted [{}], {}: {}; tool killed, scratch dir deleted",
                    run.client(), sink.mode(), o.cause().map(FailureCause::label).orElse("?"), o.error(), numbers);
            default -> log.warn("backup for {} ({}) failed [{}]: {}: {}", run.client(), sink.mode(),
                    o.cause().map(FailureCause::label).orElse("?"), numbers, o.error());
        }
    }
}

package io.statefulset.agent.backup;

import io.netty.channel.Channel;
import io.statefulset.agent.common.backuptool.FailureCause;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one backup in flight: who asked, how far it got, and whether it must stop. Shared between the network
 * thread (which sees the client leave or the channel drain) and the thread pumping the tool's stdout.
 */
final class BackupRun {
    /** What a busy donor asks a second client to wait when it cannot estimate the remaining time. */
    static final long DEFAULT_RETRY_AFTER_SECONDS = 10;

    private final Channel channel;
    private final long startedNanos = System.nanoTime();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicReference<Abort> abort = new AtomicReference<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Object writable = new Object();
    private volatile OptionalLong sizeEstimate = OptionalLong.empty();
    private BackupProcess process;

    BackupRun(Channel channel) {
        this.channel = channel;
    }

    Channel channel() {
        return channel;
    }

    SocketAddress client() {
        return channel.remoteAddress();
    }

    long startedNanos() {
        return startedNanos;
    }

    void sizeEstimate(OptionalLong estimate) {
        this.sizeEstimate = estimate;
    }

    void addBytes(long n) {
        bytes.addAndGet(n);
    }

    long bytes() {
        return bytes.get();
    }

    private record Abort(FailureCause cause, String reason) {}

    /** The tool's process, once started; an abort that came first kills it at once. */
    synchronized void attach(BackupProcess p) {
        this.process = p;
        if (abort.get() != null) p.killTree();
    }

    /** Stops the backup: the first reason wins, the tool and its children are killed, the pump wakes up. */
    void abort(FailureCause cause, String reason) {
        if (!abort.compareAndSet(null, new Abort(cause, reason))) return;
        synchronized (this) {
            if (process != null) process.killTree();
        }
        wake();
    }

    Optional<String> abortReason() {
        return Optional.ofNullable(abort.get()).map(Abort::reason);
    }

    Optional<FailureCause> abortCause() {
        return Optional.ofNullable(abort.get()).map(Abort::cause);
    }

    /** Called by the network thread when the channel's writability changes or it closes. */
    void wake() {
        synchronized (writable) {
            writable.notifyAll();
        }
    }

    /**
     * Blocks the pump until the client can take more, which is the backpressure: the tool's stdout is not read
     * while the channel's outbound buffer is above its high-water mark.
     *
     * @return false when the client is gone or the backup was aborted
     */
    boolean awaitWritable() throws InterruptedException {
        synchronized (writable) {
            while (channel.isActive() && !channel.isWritable() && abort.get() == null) {
                // The timeout only guards against a lost wake-up; writability changes notify at once.
                writable.wait(200);
            }
        }
        return channel.isActive() && abort.get() == null;
    }

    void finished() {
        done.countDown();
    }

    boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    /** Remaining time at the current rate when the size is known, else a default; at least 1 s, at most 1 h. */
    long retryAfterSeconds() {
        double elapsed = (System.nanoTime() - startedNanos) / 1e9;
        long sent = bytes.get();
        OptionalLong estimate = sizeEstimate;
        if (estimate.isEmpty() || sent <= 0 || elapsed <= 0) return DEFAULT_RETRY_AFTER_SECONDS;
        double rate = sent / elapsed;
        long remaining = (long) Math.ceil(Math.max(0, estimate.getAsLong() - sent) / rate);
        return Math.max(1, Math.min(3600, remaining));
    }
}

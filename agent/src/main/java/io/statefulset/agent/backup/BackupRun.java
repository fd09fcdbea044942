package io.statefulset.agent.backup;

import io.netty.channel.Channel;
import io.statefulset.agent.common.backuptool.FailureCause;
import java.net.SocketAddress;
import java.time.Duration;
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
    /** The most a busy donor asks a peer to wait. */
    static final long MAX_RETRY_AFTER_SECONDS = 60;

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
    boolean awaitWritable(Duration stallTimeout) throws InterruptedException {
        long deadline = System.nanoTime() + stallTimeout.toNanos();
        synchronized (writable) {
            while (channel.isActive() && !channel.isWritable() && abort.get() == null) {
                if (System.nanoTime() - deadline >= 0) {
                    stalled(stallTimeout);
                    return false;
                }
                // The timeout only guards against a lost wake-up; writability changes notify at once.
                writable.wait(200);
            }
        }
        return channel.isActive() && abort.get() == null;
    }

    /**
     * A client that keeps the connection open but reads nothing (a frozen receiver) would hold the one slot forever:
     * the backup is aborted and the connection closed, so that it counts as {@code aborted} and the slot is free.
     */
    private void stalled(Duration stallTimeout) {
        abort(FailureCause.CLIENT_GONE, "client accepted no data for " + stallTimeout.toSeconds() + " s (--send-stall-timeout)");
        channel.close().awaitUninterruptibly();
    }

    void finished() {
        done.countDown();
    }

    boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    /**
     * Remaining time at the current rate when the size is known, else a default; at least 1 s, at most
     * {@link #MAX_RETRY_AFTER_SECONDS}: a slow or stalled backup's estimate means nothing, and a stalled one is
     * aborted within --send-stall-timeout anyway, so a waiting peer asks again soon.
     */
    long retryAfterSeconds() {
        double elapsed = (System.nanoTime() - startedNanos) / 1e9;
        long sent = bytes.get();
        OptionalLong estimate = sizeEstimate;
        if (estimate.isEmpty() || sent <= 0 || elapsed <= 0) return DEFAULT_RETRY_AFTER_SECONDS;
        double rate = sent / elapsed;
        long remaining = (long) Math.ceil(Math.max(0, estimate.getAsLong() - sent) / rate);
        return Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, remaining));
    }
}

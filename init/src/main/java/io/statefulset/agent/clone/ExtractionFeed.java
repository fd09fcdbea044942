package io.statefulset.agent.clone;

import io.netty.buffer.ByteBuf;
import io.statefulset.agent.xbstream.XbstreamExtractor;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands received buffers from the Netty event loop to a thread that feeds the {@link XbstreamExtractor}.
 *
 * <p>Why a thread of its own: {@code write()} parses and CRC32-checks every chunk and blocks whenever the
 * extractor's disk writer is behind (it has a few buffers, then waits for the disk). On the event loop that would
 * stall socket reads, the stall timer and the progress line, and reading, checking and writing would take turns; on
 * this thread the three overlap (event loop: socket + CRC32C; here: parse + CRC32; the extractor's writer: disk).
 * Memory stays bounded: the event loop reads (autoRead is off) only while fewer than {@code highWater} bytes wait
 * here, and this thread asks for more once it has drained half.
 */
final class ExtractionFeed implements BodyFeed, AutoCloseable {
    private static final Object END = new Object();
    private static final Object ABORT = new Object();

    private final XbstreamExtractor extractor;
    private final long highWater;
    private final BlockingDeque<Object> queue = new LinkedBlockingDeque<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Thread writer;
    private volatile Runnable resume = () -> {};

    ExtractionFeed(XbstreamExtractor extractor, long highWater) {
        this.extractor = extractor;
        this.highWater = highWater;
        this.writer = new Thread(this::drain, "clone-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Takes ownership of {@code buf}: the writer releases it once written. */
    @Override
    public void offer(ByteBuf buf) {
        if (done.isDone()) {
            buf.release();
            return;
        }
        queuedBytes.addAndGet(buf.readableBytes());
        queue.add(buf);
    }

    @Override
    public boolean hasRoom() {
        return queuedBytes.get() < highWater;
    }

    /** Stops reading until the writer has drained to half of {@code highWater}; then {@code resume} runs once. */
    @Override
    public void pauseUntilDrained(Runnable resume) {
        this.resume = resume;
        paused.set(true);
        // The writer may have drained between the caller's hasRoom() and the flag: don't wait for a wake-up that passed.
        if (hasRoom() && paused.compareAndSet(true, false)) resume.run();
    }

    /** Completes when everything offered is written and the extractor finished; fails at the first extractor error. */
    @Override
    public CompletableFuture<Void> completion() {
        return done;
    }

    /** No more data: after the queued buffers, the writer calls {@link XbstreamExtractor#finish()}. */
    @Override
    public CompletableFuture<Void> finish() {
        queue.add(END);
        return done;
    }

    @Override
    public int filesCompleted() {
        return extractor.filesCompleted();
    }

    private void drain() {
        try {
            while (true) {
                Object item = queue.take();
                if (item == ABORT) return;
                if (item == END) {
                    extractor.finish();
                    done.complete(null);
                    return;
                }
                ByteBuf buf = (ByteBuf) item;
                int n = buf.readableBytes();
                try {
                    if (buf.nioBufferCount() == 1) {
                        extractor.write(buf.nioBuffer());
                    } else {
                        for (ByteBuffer b : buf.nioBuffers()) extractor.write(b);
                    }
                } finally {
                    buf.release();
                }
                if (queuedBytes.addAndGet(-n) < highWater / 2 && paused.compareAndSet(true, false)) resume.run();
            }
        } catch (Throwable e) {
            done.completeExceptionally(e);
        }
    }

    /** Stops the writer after its current buffer and releases whatever is still queued. Deletes nothing. */
    @Override
    public void close() throws InterruptedException {
        if (writer.isAlive()) {
            releaseQueued();
            queue.addFirst(ABORT);
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
        releaseQueued();
        done.completeExceptionally(new IllegalStateException("extraction closed"));
    }

    private void releaseQueued() {
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof ByteBuf buf) buf.release();
        }
    }
}

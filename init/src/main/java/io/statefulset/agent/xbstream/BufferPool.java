package io.statefulset.agent.xbstream;

import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A fixed number of equal direct buffers, aligned for O_DIRECT, allocated on first use and then recycled: the
 * extraction's whole write memory, whatever the size of the stream. Buffers are taken by the parsing thread and
 * given back by the writer thread once written.
 */
final class BufferPool {
    private final int bufferBytes;
    private final int alignment;
    private final int max;
    private final ArrayBlockingQueue<ByteBuffer> free;
    /** touched by the taking thread only */
    private int allocated;

    BufferPool(int bufferBytes, int alignment, int max) {
        this.bufferBytes = bufferBytes;
        this.alignment = alignment;
        this.max = max;
        this.free = new ArrayBlockingQueue<>(max);
    }

    /** A cleared buffer; waits for the writer to give one back when all are in use. */
    ByteBuffer take() throws InterruptedIOException {
        ByteBuffer buffer = free.poll();
        if (buffer != null) return buffer;
        if (allocated < max) {
            allocated++;
            return ByteBuffer.allocateDirect(bufferBytes + alignment).alignedSlice(alignment).slice(0, bufferBytes);
        }
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the disk writer");
        }
    }

    void give(ByteBuffer buffer) {
        buffer.clear();
        free.offer(buffer);
    }

    int allocated() {
        return allocated;
    }
}

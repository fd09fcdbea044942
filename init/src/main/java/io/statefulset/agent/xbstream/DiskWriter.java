package io.statefulset.agent.xbstream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;

/**
 * One thread that performs the extraction's disk writes in order, so that parsing and CRC checking of the next
 * megabytes overlap with the (O_DIRECT, hence blocking) write of the previous ones. The queue is bounded: a disk
 * slower than the stream holds the stream back instead of filling memory. The first failure is kept and thrown to
 * the parsing thread on its next call; later jobs are then only cleaned up (buffers returned, files closed).
 */
final class DiskWriter implements AutoCloseable {
    private final ArrayBlockingQueue<Job> jobs;
    private final ExtractionTarget target;
    private final BufferPool pool;
    private final ByteBuffer zeroBlock;
    private final Thread thread;
    private volatile IOException failure;

    private interface Job {}

    private record Write(FileChannel channel, String name, ByteBuffer buffer, long position) implements Job {}

    private record Close(FileChannel channel) implements Job {}

    private record Complete(FileChannel channel, String name, Path path, long size) implements Job {}

    private record WholeFile(String name, Path path, ByteBuffer buffer, long position, long size) implements Job {}

    private record Barrier(CountDownLatch passed) implements Job {}

    private record Stop() implements Job {}

    DiskWriter(ExtractionTarget target, BufferPool pool, int queueDepth, String threadName) {
        this.target = target;
        this.pool = pool;
        int alignment = target.alignment();
        this.jobs = new ArrayBlockingQueue<>(queueDepth);
        this.zeroBlock = ByteBuffer.allocateDirect(2 * alignment).alignedSlice(alignment).slice(0, alignment);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Writes the buffer from 0 to its limit at {@code position}, then gives it back to the pool. */
    void write(FileChannel channel, String name, ByteBuffer buffer, long position) throws IOException {
        submit(new Write(channel, name, buffer, position));
    }

    /** Closes a file whose queued writes are done (it may be reopened later). */
    void close(FileChannel channel) throws IOException {
        submit(new Close(channel));
    }

    /**
     * After the file's queued writes: sets its length to {@code size} and closes it. No fsync: one per file costs a
     * journal commit each (about 4 ms on this machine kind); the caller syncs the whole tree once at the end.
     */
    void complete(FileChannel channel, String name, Path path, long size) throws IOException {
        submit(new Complete(channel, name, path, size));
    }

    /**
     * Creates a file that was never opened and writes it whole through the page cache: the buffer (null for no
     * data) from 0 to its limit at {@code position}, then the length; the buffer goes back to the pool.
     */
    void writeWholeFile(String name, Path path, ByteBuffer buffer, long position, long size) throws IOException {
        submit(new WholeFile(name, path, buffer, position, size));
    }

    /** Waits until every job submitted so far is done; throws the first failure. */
    void drain() throws IOException {
        CountDownLatch passed = new CountDownLatch(1);
        submit(new Barrier(passed));
        try {
            passed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the disk writer");
        }
        throwIfFailed();
    }

    void throwIfFailed() throws IOException {
        IOException e = failure;
        if (e != null) throw new IOException(e.getMessage(), e);
    }

    /** Stops the thread after the queued jobs (files still open in them get closed). Does not throw. */
    @Override
    public void close() {
        if (!thread.isAlive()) return;
        boolean interrupted = false;
        while (true) {
            try {
                jobs.put(new Stop());
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void submit(Job job) throws IOException {
        throwIfFailed();
        if (!thread.isAlive()) throw new IOException("the disk writer has stopped: the extractor was closed");
        try {
            jobs.put(job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (job instanceof Write w) pool.give(w.buffer());
            if (job instanceof WholeFile f && f.buffer() != null) pool.give(f.buffer());
            throw new InterruptedIOException("interrupted while waiting for the disk writer");
        }
    }

    private void run() {
        while (true) {
            Job job;
            try {
                job = jobs.take();
            } catch (InterruptedException e) {
                continue; // only close() stops this thread, after the queued jobs
            }
            if (job instanceof Stop) return;
            try {
                perform(job);
            } catch (IOException | RuntimeException e) {
                // perform() has already given back the buffer or closed the file of the failed job
                if (failure == null) failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
            }
        }
    }

    private void perform(Job job) throws IOException {
        if (job instanceof Barrier b) {
            b.passed().countDown();
        } else if (failure != null) {
            cleanUp(job);
        } else if (job instanceof Write w) {
            ByteBuffer buffer = w.buffer();
            try {
                writeSkippingZeroBlocks(w.channel(), buffer, w.position());
            } catch (IOException e) {
                throw new IOException("writing " + PathText.quote(w.name()) + " at offset " + w.position() + " failed: "
                        + e.getMessage() + ": check free space and permissions of the target's volume", e);
            } finally {
                pool.give(buffer);
            }
        } else if (job instanceof WholeFile f) {
            writeWholeFile(f);
        } else if (job instanceof Complete c) {
            try {
                setLength(c.channel(), c.path(), c.size());
            } catch (IOException e) {
                throw new IOException("finishing " + PathText.quote(c.name()) + " (" + c.size() + " bytes) failed: "
                        + e.getMessage() + ": check free space and the target's volume", e);
            }
        } else if (job instanceof Close c) {
            c.channel().close();
        }
    }

    /**
     * Writes the buffer's blocks but those that are all zeros, so that holes stay holes: a sparse chunk's gaps,
     * the unused tail of a page-compressed page, a tablespace's never-used pages. A file system allocates whole
     * blocks, so skipping every all-zero block leaves unallocated at least what {@code mbstream} leaves (it seeks over
     * each page-compressed page's trailing zero bytes, and writes everything else). Checking costs one vectorised
     * compare per block, which stops at the first byte of a block with data.
     */
    private void writeSkippingZeroBlocks(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int block = zeroBlock.capacity();
        int limit = buffer.limit(); // whole blocks for O_DIRECT (the last is padded); a buffered whole file may end short
        int runStart = -1;
        for (int offset = 0; offset < limit; offset += block) {
            int length = Math.min(block, limit - offset);
            boolean zero = buffer.slice(offset, length).mismatch(zeroBlock.slice(0, length)) == -1;
            if (!zero && runStart < 0) {
                runStart = offset;
            } else if (zero && runStart >= 0) {
                writeFully(channel, buffer.slice(runStart, offset - runStart), position + runStart);
                runStart = -1;
            }
        }
        if (runStart >= 0) writeFully(channel, buffer.slice(runStart, limit - runStart), position + runStart);
    }

    private static void writeFully(FileChannel channel, ByteBuffer run, long position) throws IOException {
        while (run.hasRemaining()) channel.write(run, position + run.position());
    }

    /**
     * Writes are whole blocks, so the file may be longer than its size by the padding, which is cut off here; a file
     * that ends in a hole (or in zero blocks) is shorter, and is extended to its size without writing anything, as
     * ftruncate does (FileChannel.truncate only shortens).
     */
    private static void setLength(FileChannel open, Path path, long size) throws IOException {
        long current;
        try (FileChannel channel = open) {
            current = channel.size();
            if (current > size) channel.truncate(size);
        }
        if (current < size) {
            try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
                file.setLength(size);
            }
        }
    }

    private void writeWholeFile(WholeFile f) throws IOException {
        try {
            FileChannel channel = target.createBuffered(f.path());
            try {
                if (f.buffer() != null) writeSkippingZeroBlocks(channel, f.buffer(), f.position());
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            setLength(channel, f.path(), f.size());
        } catch (IOException e) {
            throw new IOException("writing " + PathText.quote(f.name()) + " (" + f.size() + " bytes) failed: "
                    + e.getMessage() + ": check free space and permissions of the target's volume", e);
        } finally {
            if (f.buffer() != null) pool.give(f.buffer());
        }
    }

    private void cleanUp(Job job) {
        if (job instanceof Write w) {
            pool.give(w.buffer());
        } else if (job instanceof WholeFile f) {
            if (f.buffer() != null) pool.give(f.buffer());
        } else if (job instanceof Complete c) {
            closeQuietly(c.channel());
        } else if (job instanceof Close c) {
            closeQuietly(c.channel());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one reported
        }
    }
}

package io.statefulset.agent.xbstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts an xbstream into a directory as its bytes arrive (pushed from the network in slices of any size), in
 * bounded memory: every chunk's CRC32 is checked, {@code P}, {@code E} and sparse {@code S} chunks are written
 * (zero-length and interleaved files included), and a path that could leave the directory is refused before a
 * byte is written for it. Holes stay holes: sparse runs and every all-zero block are left unwritten. Writes are large, block-aligned, O_DIRECT where the file system allows it, and done by a
 * writer thread while the next bytes are parsed.
 *
 * <p>Only {@link #finish()} returning says the stream was complete; on any error the caller wipes the directory
 * (this class deletes nothing). One feeding thread.
 */
public final class XbstreamExtractor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(XbstreamExtractor.class);

    private final ExtractionTarget target;
    private final BufferPool pool;
    private final DiskWriter writer;
    private final FileAssembler assembler;
    private final XbstreamReader reader;
    private final long startNanos = System.nanoTime();
    private boolean closed;

    /** @param targetDir an existing directory, normally empty */
    public XbstreamExtractor(Path targetDir) throws IOException {
        this(targetDir, ExtractionSettings.defaults());
    }

    public XbstreamExtractor(Path targetDir, ExtractionSettings settings) throws IOException {
        this.target = new ExtractionTarget(targetDir, settings.directIo());
        int alignment = target.alignment();
        int windowBytes = (settings.windowBytes() + alignment - 1) / alignment * alignment;
        this.pool = new BufferPool(windowBytes, alignment, settings.bufferCount());
        this.writer = new DiskWriter(target, pool, settings.writeQueueDepth(), "xbstream-writer");
        this.assembler = new FileAssembler(target, pool, writer, settings.maxActiveFiles());
        this.reader = new XbstreamReader(assembler);
    }

    /**
     * Consumes all remaining bytes of {@code data}; a chunk header may be split across calls.
     *
     * @throws XbstreamException for a malformed or unsafe stream
     * @throws IOException       when writing to the target fails
     */
    public void write(ByteBuffer data) throws IOException {
        if (closed) throw new IOException("the extractor is closed");
        reader.write(data);
    }

    /**
     * End of stream: an error if it stopped inside a chunk, if it was empty, or if a file never got its end chunk;
     * otherwise returns once every file is written and closed. Nothing is fsynced here: the caller makes the whole
     * tree durable once, after its own last change to it (the clone does after {@code --prepare}, with one syncfs),
     * since a sync per file costs a journal commit each and the clone's time would grow with its file count.
     */
    public void finish() throws IOException {
        if (closed) throw new IOException("the extractor is closed");
        reader.finish();
        if (reader.bytesConsumed() == 0) {
            throw new XbstreamException("the stream is empty: the donor sent no data at all (that is how a failed"
                    + " backup reaches a legacy receiver); check the donor's backup log");
        }
        List<String> unfinished = assembler.unfinished();
        if (!unfinished.isEmpty()) {
            unfinished.sort(null);
            String shown = unfinished.size() > 5
                    ? String.join(", ", unfinished.subList(0, 5).stream().map(PathText::quote).toList()) + " and "
                            + (unfinished.size() - 5) + " more"
                    : String.join(", ", unfinished.stream().map(PathText::quote).toList());
            throw new XbstreamException("the stream ended on a chunk boundary at stream offset "
                    + reader.bytesConsumed() + " but " + unfinished.size() + " file(s) never got their end ('E') chunk: "
                    + shown + ". The donor stopped mid-backup (its backup tool died or the connection was cut);"
                    + " check the donor's log and retry the clone");
        }
        writer.drain();
        long nanos = Math.max(1, System.nanoTime() - startNanos);
        log.info("extracted {} files, {} bytes of data from {} stream bytes into {} in {} ms ({} MB/s, {})",
                assembler.filesCompleted(), assembler.payloadBytes(), reader.bytesConsumed(), target.root(),
                TimeUnit.NANOSECONDS.toMillis(nanos), reader.bytesConsumed() * 1000 / nanos,
                target.directIo() ? "O_DIRECT" : "buffered");
    }

    /** Stream bytes accepted so far. */
    public long bytesConsumed() {
        return reader.bytesConsumed();
    }

    /** Files that got their end chunk. */
    public int filesCompleted() {
        return assembler.filesCompleted();
    }

    /** Whether files are written with O_DIRECT (decided when the first file is opened). */
    public boolean directIo() {
        return target.directIo();
    }

    /** Closes the open files and stops the writer thread; deletes nothing (the caller wipes its staging dir). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        writer.close(); // runs (or, after a failure, discards) what is queued, then the files can be closed here
        assembler.abandon();
    }
}

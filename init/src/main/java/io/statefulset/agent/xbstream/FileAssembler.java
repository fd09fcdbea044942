package io.statefulset.agent.xbstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns parsed chunks into files under the target: checks each new path before anything is created for it, checks
 * that a file's chunks come in offset order and that nothing follows its end chunk, and keeps the files of an
 * interleaved stream apart.
 */
final class FileAssembler implements ChunkListener {
    private final ExtractionTarget target;
    private final BufferPool pool;
    private final DiskWriter writer;
    private final ActiveFiles active;
    /** files still being written */
    private final Map<String, OutputFile> files = new HashMap<>();
    /** the finished ones, as fingerprints: a data dir of 10^5 tables must not keep 10^5 objects */
    private final EndedFiles ended = new EndedFiles();
    private final SparseCursor sparse = new SparseCursor();
    private OutputFile current;
    private int completed;
    private long payloadBytes;

    FileAssembler(ExtractionTarget target, BufferPool pool, DiskWriter writer, int maxActiveFiles) {
        this.target = target;
        this.pool = pool;
        this.writer = writer;
        this.active = new ActiveFiles(maxActiveFiles);
    }

    @Override
    public void chunkStart(ChunkHeader header) throws IOException {
        OutputFile file = files.get(header.path());
        if (file == null && ended.mightContain(header.path()) && endedOnDisk(header)) {
            throw new XbstreamException("got " + header.describe() + " after that file's end chunk: the stream is"
                    + " corrupt or mixes two backups; retry the clone");
        }
        if (file == null) {
            StreamPath path = StreamPath.parse(header);
            Path resolved = target.prepareFile(path, header);
            file = new OutputFile(header.path(), resolved, target, pool, writer);
            files.put(header.path(), file);
        }
        if (header.type() != ChunkType.END && header.fileOffset() != file.position()) {
            throw new XbstreamException("out-of-order chunk: " + header.describe() + " is for file offset "
                    + header.fileOffset() + " but " + file.position() + " bytes of that file came before it: the"
                    + " stream is corrupt (chunks lost or reordered on the way); retry the clone");
        }
        activate(file);
        current = file;
        if (header.type() == ChunkType.END) {
            file.end();
            active.remove(file);
            files.remove(header.path());
            ended.add(header.path());
            completed++;
        } else if (header.type() == ChunkType.SPARSE) {
            sparse.start(header.sparseMap());
        }
    }

    @Override
    public void payload(ChunkHeader header, ByteBuffer slice) throws IOException {
        payloadBytes += slice.remaining();
        if (header.type() == ChunkType.SPARSE) {
            sparse.write(slice, current);
        } else {
            current.append(slice);
        }
    }

    @Override
    public void chunkEnd(ChunkHeader header) throws IOException {
        if (header.type() == ChunkType.SPARSE) sparse.finish(current);
    }

    int filesCompleted() {
        return completed;
    }

    long payloadBytes() {
        return payloadBytes;
    }

    /** Paths whose end chunk never came, in no particular order. */
    List<String> unfinished() {
        List<String> out = new ArrayList<>();
        for (OutputFile file : files.values()) out.add(file.name());
        return out;
    }

    /** Closes every still-open file, unwritten bytes dropped; only once the writer has stopped. */
    void abandon() {
        for (OutputFile file : active.all()) {
            try {
                file.abandon();
            } catch (IOException e) {
                // the extraction has failed already; the caller wipes the files
            }
            active.remove(file);
        }
    }

    /** A fingerprint matched: the file is really finished if it exists once the writer has caught up. */
    private boolean endedOnDisk(ChunkHeader header) throws IOException {
        writer.drain();
        Path resolved = target.root().resolve(String.join("/", StreamPath.parse(header).segments()));
        return Files.exists(resolved, LinkOption.NOFOLLOW_LINKS);
    }

    private void activate(OutputFile file) throws IOException {
        OutputFile evicted = active.use(file);
        if (evicted != null) evicted.suspend();
    }
}

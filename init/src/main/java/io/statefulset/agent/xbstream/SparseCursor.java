package io.statefulset.agent.xbstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/** Applies a sparse chunk's map to its payload as the payload arrives in slices: skip a hole, write a run, repeat. */
final class SparseCursor {
    private List<SparseMap.Run> runs = List.of();
    private int next;
    private long runLeft;

    void start(SparseMap map) {
        runs = map.runs();
        next = 0;
        runLeft = 0;
    }

    void write(ByteBuffer slice, OutputFile file) throws IOException {
        while (slice.hasRemaining()) {
            if (runLeft == 0) {
                SparseMap.Run run = runs.get(next++); // the reader checked that the runs cover the payload
                file.skip(run.skip());
                runLeft = run.length();
                continue;
            }
            int n = (int) Math.min(slice.remaining(), runLeft);
            int limit = slice.limit();
            slice.limit(slice.position() + n);
            file.append(slice);
            slice.limit(limit);
            runLeft -= n;
        }
    }

    /** The payload is all written: the remaining runs are holes (a file that ends in a hole). */
    void finish(OutputFile file) throws IOException {
        while (next < runs.size()) file.skip(runs.get(next++).skip());
        runs = List.of();
    }
}

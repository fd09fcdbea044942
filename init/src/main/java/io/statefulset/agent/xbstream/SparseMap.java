package io.statefulset.agent.xbstream;

import java.util.List;

/**
 * The map of a sparse chunk: for each run, first move the file position by {@code skip} bytes (a hole), then write
 * {@code length} bytes of the chunk's payload.
 */
public record SparseMap(List<Run> runs) {
    /** The map of a chunk that is not sparse. */
    public static final SparseMap NONE = new SparseMap(List.of());

    public record Run(long skip, long length) {}

    public SparseMap {
        runs = List.copyOf(runs);
    }

    /** Bytes of payload the runs consume. */
    public long dataLength() {
        long sum = 0;
        for (Run run : runs) sum += run.length();
        return sum;
    }

    /** Bytes of file the runs cover, holes included. */
    public long span() {
        long sum = 0;
        for (Run run : runs) sum += run.skip() + run.length();
        return sum;
    }
}

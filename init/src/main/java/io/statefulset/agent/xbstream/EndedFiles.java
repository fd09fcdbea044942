package io.statefulset.agent.xbstream;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The paths whose end chunk has come, kept as 64-bit fingerprints in an open-addressing table (16 bytes a file at
 * most) rather than as strings (over 100): a data dir of 10^5 or 10^6 tables must fit the init container's small
 * heap. A match may be a collision, so the caller confirms it on disk before refusing the stream.
 */
final class EndedFiles {
    private long[] slots = new long[1 << 10];
    private int size;

    void add(String path) {
        if (2 * (size + 1) > slots.length) grow();
        if (insert(slots, fingerprint(path))) size++;
    }

    boolean mightContain(String path) {
        long f = fingerprint(path);
        int mask = slots.length - 1;
        for (int i = spread(f) & mask; slots[i] != 0; i = (i + 1) & mask) {
            if (slots[i] == f) return true;
        }
        return false;
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (long f : slots) {
            if (f != 0) insert(bigger, f);
        }
        slots = bigger;
    }

    private static boolean insert(long[] table, long f) {
        int mask = table.length - 1;
        int i = spread(f) & mask;
        while (table[i] != 0) {
            if (table[i] == f) return false;
            i = (i + 1) & mask;
        }
        table[i] = f;
        return true;
    }

    private static int spread(long f) {
        return (int) (f ^ (f >>> 29));
    }

    /** Two independent 32-bit hashes; never 0, which marks a free slot. */
    private static long fingerprint(String path) {
        CRC32C crc = new CRC32C();
        crc.update(path.getBytes(StandardCharsets.UTF_8));
        long f = ((long) path.hashCode() << 32) | crc.getValue();
        return f == 0 ? 1 : f;
    }
}

package io.statefulset.agent.xbstream;

import java.util.ArrayList;
import java.util.List;

/**
 * The files that hold an open channel and a write window, most recently used first, at most a fixed number: an
 * interleaved stream of many files keeps memory and file descriptors bounded by suspending the least recently used.
 */
final class ActiveFiles {
    private final OutputFile[] files;
    private int size;

    ActiveFiles(int capacity) {
        this.files = new OutputFile[capacity];
    }

    /**
     * Marks the file most recently used, adding it if needed.
     *
     * @return the file pushed out to make room (to be suspended by the caller), or null
     */
    OutputFile use(OutputFile file) {
        int at = indexOf(file);
        OutputFile evicted = null;
        if (at < 0) {
            if (size == files.length) {
                evicted = files[size - 1];
                size--;
            }
            at = size++;
        }
        System.arraycopy(files, 0, files, 1, at);
        files[0] = file;
        return evicted;
    }

    void remove(OutputFile file) {
        int at = indexOf(file);
        if (at < 0) return;
        System.arraycopy(files, at + 1, files, at, size - at - 1);
        files[--size] = null;
    }

    List<OutputFile> all() {
        List<OutputFile> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) out.add(files[i]);
        return out;
    }

    private int indexOf(OutputFile file) {
        for (int i = 0; i < size; i++) {
            if (files[i] == file) return i;
        }
        return -1;
    }
}

package io.statefulset.agent.xbstream;

/** The chunk types this reader understands; any other type byte is skipped when flagged ignorable, else refused. */
public enum ChunkType {
    /** File data at an offset. */
    PAYLOAD('P'),
    /** File data with holes (Percona XtraBackup 8.0+): a map of (skip, length) runs, then the data of the runs. */
    SPARSE('S'),
    /** The file is complete. A zero-length file is a lone end chunk. */
    END('E');

    private final char code;

    ChunkType(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }

    /** The type of a type byte, or null when this reader does not know it. */
    static ChunkType of(byte code) {
        switch (code) {
            case 'P': return PAYLOAD;
            case 'S': return SPARSE;
            case 'E': return END;
            default: return null;
        }
    }
}

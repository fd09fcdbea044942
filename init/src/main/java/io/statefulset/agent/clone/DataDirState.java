package io.statefulset.agent.clone;

/** What {@code init} finds in a replica's data dir, and so what it must do. */
public enum DataDirState {
    /** {@code mysql/} present, no staging area, and {@link DataDirVerdict} finds a database: leave it alone. */
    INITIALISED,
    /** No {@code mysql/} and no staging: clone. */
    EMPTY,
    /** A staging area that never reached "prepared" (killed while receiving or preparing): wipe and clone again. */
    INTERRUPTED,
    /** A prepared clone whose hand-over did not finish: finish it, no donor needed. */
    PREPARED,
    /**
     * {@code mysql/} but no database: what an xbstream extraction straight into the data dir (the tutorial's
     * {@code clone-mysql}) left unfinished or never prepared. Moved aside, then cloned.
     */
    UNFINISHED_EXTRACTION
}

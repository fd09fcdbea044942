package io.statefulset.agent.common.backuptool;

import java.util.Optional;

/**
 * Why a backup ({@code serve}) or a clone from one donor ({@code init}) failed, as the {@code cause} label of the
 * failure metrics and the word in brackets of the failure log lines. One list for both sides, so that a redo wrap
 * has the same name on the donor and on the replica.
 */
public enum FailureCause {
    /** The server overwrote redo the backup had not copied yet (the log wrapped): the redo log is too small for the writes. */
    REDO_WRAP("redo-wrap"),
    /** The backup tool failed for another reason; its own error lines say which. */
    BACKUP_TOOL("backup-tool"),
    /** serve: the tool could not be started (not installed, scratch dir not writable). */
    TOOL_START("tool-start"),
    /** serve: the client went away or stopped reading mid-stream. */
    CLIENT_GONE("client-gone"),
    /** serve: the donor was shutting down (SIGTERM) and aborted the backup. */
    DONOR_STOPPING("donor-stopping"),
    /** serve: the agent itself broke down (a bug). */
    AGENT("agent-error"),
    /** init: {@code --prepare} failed on the received backup. */
    PREPARE("prepare"),
    /** init: the donor sent nothing for {@code --stall-timeout}. */
    STALL("stall"),
    /** init: the connection closed or broke before the end of the stream. */
    CONNECTION_LOST("connection-lost"),
    /** init: the stream did not check out (CRC, truncation, unsafe path, byte count, missing trailers, no mysql/). */
    CORRUPT_STREAM("corrupt-stream"),
    /** init: the donor refused (token) or did not speak the backup protocol; serve: a CLONE donor that cannot clone (login, version, plugin, grant). */
    REFUSED("refused"),
    /** serve: the CLONE plugin's statement failed, or the restarted server did not report the clone complete. */
    CLONE_PLUGIN("clone-plugin");

    private final String label;

    FailureCause(String label) {
        this.label = label;
    }

    /** The metric label value and the log word. */
    public String label() {
        return label;
    }

    /** The cause with this label; empty for a label this version does not know (a newer donor). */
    public static Optional<FailureCause> ofLabel(String label) {
        for (FailureCause c : values()) if (c.label.equals(label)) return Optional.of(c);
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label;
    }
}

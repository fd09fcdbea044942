package io.statefulset.agent.backup;

import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.backuptool.RedoProtection;
import io.statefulset.agent.common.backuptool.RedoWrap;
import io.statefulset.agent.common.backuptool.ToolVersion;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Why the backup tool failed, in its own words, with the cause named: what goes into {@code X-Backup-Error} and
 * serve's log line. A wrapped redo log also gets the numbers to size it: the donor's redo size, the rate the server
 * wrote redo at during the backup, how much the backup needed, and the setting that would have held.
 *
 * @param text one line: "{@code <tool> failed (exit N) [cause]: <its error lines> -- <what to change>}"
 */
record BackupFailureReport(FailureCause cause, String text) {
    private static final long MIB = 1024 * 1024;

    static BackupFailureReport of(String toolName, int exit, List<String> toolLines, Duration elapsed, RedoProtection redo,
                                  OptionalLong redoBytes) {
        FailureCause cause = RedoWrap.causeOf(toolLines);
        String said = toolLines.isEmpty() ? "it wrote nothing to stderr" : String.join(" | ", toolLines);
        StringBuilder text = new StringBuilder(toolName).append(" failed (exit ").append(exit).append(") [")
                .append(cause.label()).append("]: ").append(said);
        if (cause == FailureCause.REDO_WRAP) text.append(" -- ").append(redoAdvice(RedoWrap.parse(toolLines), elapsed, redo, redoBytes));
        return new BackupFailureReport(cause, text.toString());
    }

    /** The numbers behind a wrapped redo log, and the setting that would have held. */
    static String redoAdvice(Optional<RedoWrap> wrap, Duration elapsed, RedoProtection redo, OptionalLong redoBytes) {
        String setting = redo.sizeSetting();
        double seconds = Math.max(0.001, elapsed.toNanos() / 1e9);
        String size = redoBytes.isPresent() ? mib(redoBytes.getAsLong()) + " (" + setting + ")" : "of unknown size (" + setting + ")";
        if (wrap.isEmpty()) {
            return String.format(Locale.ROOT, "the donor's redo log %s wrapped during the %.1f s backup: size it for the"
                    + " redo written during a backup (write rate x backup time)%s", size, seconds, consumerHint(redo));
        }
        long needed = wrap.get().redoWritten();
        return String.format(Locale.ROOT, "the donor's redo log %s wrapped: the backup needed %.1f MB of redo, written"
                        + " at %.1f MB/s during its %.1f s; %s=%s would have held (set it on every pod that donates)%s",
                size, needed / 1e6, needed / 1e6 / seconds, seconds, setting, settingValue(needed), consumerHint(redo));
    }

    /** The smallest power-of-two MiB value that holds {@code bytes}: redo a log of that size cannot have overwritten. */
    static String settingValue(long bytes) {
        long mib = Math.max(4, (bytes + MIB - 1) / MIB);
        long pow = Long.highestOneBit(mib);
        if (pow < mib) pow <<= 1;
        return pow % 1024 == 0 ? pow / 1024 + "G" : pow + "M";
    }

    private static String consumerHint(RedoProtection redo) {
        boolean percona = redo.version().map(ToolVersion::percona).orElse(false);
        if (!percona || redo.registersAsConsumer()) return "";
        return "; xtrabackup 8.0.30+ would protect the copy (" + RedoProtection.REGISTER_REDO_LOG_CONSUMER + ")";
    }

    private static String mib(long bytes) {
        return bytes % MIB == 0 ? bytes / MIB + " MiB" : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }
}

package io.statefulset.agent.common.backuptool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The lines of a backup tool's output (stderr of {@code --backup}, the log of {@code --prepare}) that state why it
 * failed, with its hint, and without its progress chatter: mariadb-backup and xtrabackup print a line per file
 * ("Streaming ./sys/x@0024statements_with_errors_or_warnings.frm ...", "...done", "Retrying read of log"), and a
 * plain tail of that buries the one line that matters. Lines are kept without the tool's "[00] date time" prefix.
 * When the tool states nothing that looks like an error, its last lines that are not chatter stand in.
 */
public final class ToolErrorLines {
    /** The first few errors hold the cause, the last few the hint and the final verdict. */
    static final int HEAD = 4;
    static final int TAIL = 4;
    static final int FALLBACK = 4;
    /** Long enough for any real message; a runaway line cannot crowd the others out of a trailer. */
    static final int MAX_LINE = 240;

    /** "[00] 2026-12-01 07:20:13 " (mariadb-backup, xtrabackup 2.4) or "2026-12-01T07:20:13.123456-00:00 0 " (xtrabackup 8). */
    private static final Pattern PREFIX = Pattern.compile(
            "^(\\[\\d{2}\\]\\s+)?(\\d{4}-\\d{2}-\\d{2}[ T]\\s?\\d{1,2}:\\d{2}:\\d{2}(\\.\\d+)?([+-]\\d{2}:\\d{2}|Z)?\\s+)?(\\d+\\s+(?=\\[))?");
    private static final Pattern CHATTER = Pattern.compile(
            "^(Streaming |Copying |Copied |Compressing |Reading |Writing |Done: |DDL tracking|Retrying read of log|"
                    + "\\.\\.\\.done|>> log scanned up to|Connecting to |Using server version|Skipping )"
                    // my_thread_global_end: shutdown noise printed after the real error
                    + "|\\[Note\\]|my_thread_global_end|^xtrabackup: Transaction log of lsn|^(InnoDB|mariabackup|mariadb-backup): (Starting|Using|Completed)");
    /**
     * What the tools say when something is wrong. Whole words only: the tools stream files named
     * {@code statements_with_errors_or_warnings.frm}, which must not count as an error.
     */
    private static final Pattern FAILURE = Pattern.compile(
            "\\[ERROR\\]|\\bFATAL\\b|\\berror\\b|\\bfailed\\b|\\bfailure\\b|\\bcannot\\b|\\bcan't\\b|\\bcan not\\b|\\bunable\\b"
                    + "|\\bdenied\\b|\\bmismatch\\b|\\bwrapped\\b|\\bcorrupt|\\bnot found\\b|\\bno such\\b|\\btoo small\\b"
                    + "|\\bwas only able to\\b|\\btry increasing\\b|\\bout of memory\\b|\\bno space\\b|\\bunknown (option|variable)\\b"
                    + "|\\bis not supported\\b|\\bunsupported\\b|\\baborting\\b|\\bkilled\\b",
            Pattern.CASE_INSENSITIVE);

    private final List<String> head = new ArrayList<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final Deque<String> recent = new ArrayDeque<>();
    private int omitted;

    /** Adds one output line; chatter and blank lines are dropped. */
    public synchronized void add(String line) {
        String text = withoutPrefix(line);
        if (text.isEmpty() || CHATTER.matcher(text).find()) return;
        if (text.length() > MAX_LINE) text = text.substring(0, MAX_LINE - 3) + "...";
        if (states(text)) {
            if (head.contains(text) || tail.contains(text)) return; // the same line repeated by each thread
            if (head.size() < HEAD) {
                head.add(text);
            } else {
                tail.addLast(text);
                if (tail.size() > TAIL) {
                    tail.removeFirst();
                    omitted++;
                }
            }
        } else {
            recent.addLast(text);
            if (recent.size() > FALLBACK) recent.removeFirst();
        }
    }

    public synchronized void addAll(Iterable<String> lines) {
        for (String l : lines) add(l);
    }

    /** The error lines (with "(N more)" where some were left out), or the last non-chatter lines when there are none. */
    public synchronized List<String> lines() {
        if (head.isEmpty()) return List.copyOf(recent);
        List<String> out = new ArrayList<>(head);
        if (omitted > 0) out.add("(" + omitted + " more)");
        out.addAll(tail);
        return out;
    }

    /** Whether the tool stated an error (rather than only printing progress). */
    public synchronized boolean statedAnError() {
        return !head.isEmpty();
    }

    public static boolean states(String line) {
        return FAILURE.matcher(line).find();
    }

    static String withoutPrefix(String line) {
        String s = line.strip();
        return PREFIX.matcher(s).replaceFirst("").strip();
    }

    /** The lines of a whole output, as a list (for a tool's log file). */
    public static List<String> of(Iterable<String> output) {
        ToolErrorLines lines = new ToolErrorLines();
        lines.addAll(output);
        return lines.lines();
    }
}

package io.statefulset.agent.backup;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last lines the backup tool wrote to stderr: the error a client sees in {@code X-Backup-Error}. Secrets are
 * masked and the text is squeezed into one printable-ASCII line, so it is always a valid header value.
 */
final class StderrTail {
    /** Keeps the trailer well under the 8 KiB header limit of common HTTP clients (Netty, curl). */
    static final int MAX_CHARS = 2000;
    static final String MASK = "****";

    private final int maxLines;
    private final List<String> secrets;
    private final Deque<String> lines = new ArrayDeque<>();

    StderrTail(int maxLines, List<String> secrets) {
        this.maxLines = maxLines;
        this.secrets = secrets.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** @return the line with secrets masked, as kept */
    synchronized String add(String line) {
        String clean = scrub(line);
        if (clean.isBlank()) return clean;
        lines.addLast(clean);
        while (lines.size() > maxLines) lines.removeFirst();
        return clean;
    }

    String scrub(String line) {
        String s = line;
        for (String secret : secrets) s = s.replace(secret, MASK);
        return s;
    }

    /** The kept lines joined with {@code " | "}, control and non-ASCII characters replaced, the end kept if long. */
    synchronized String headerValue() {
        String joined = String.join(" | ", lines);
        StringBuilder sb = new StringBuilder(joined.length());
        for (char c : joined.toCharArray()) sb.append(c >= 0x20 && c < 0x7f ? c : c == '\t' ? ' ' : '?');
        String value = sb.toString().strip();
        return value.length() <= MAX_CHARS ? value : "..." + value.substring(value.length() - MAX_CHARS + 3);
    }
}

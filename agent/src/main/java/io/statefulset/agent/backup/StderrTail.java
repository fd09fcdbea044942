package io.statefulset.agent.backup;

import io.statefulset.agent.common.backuptool.ToolErrorLines;
import java.util.List;

/**
 * What the backup tool wrote to stderr that says why it failed ({@link ToolErrorLines}: its error lines and hint, not
 * its progress chatter), with secrets masked. {@link #headerValue} squeezes a text into one printable-ASCII line, so
 * that it is always a valid {@code X-Backup-Error} value.
 */
final class StderrTail {
    /** Keeps the trailer well under the 8 KiB header limit of common HTTP clients (Netty, curl). */
    static final int MAX_CHARS = 3000;
    static final String MASK = "****";

    private final List<String> secrets;
    private final ToolErrorLines errors = new ToolErrorLines();

    StderrTail(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** @return the line with secrets masked, as kept */
    String add(String line) {
        String clean = scrub(line);
        errors.add(clean);
        return clean;
    }

    String scrub(String line) {
        String s = line;
        for (String secret : secrets) s = s.replace(secret, MASK);
        return s;
    }

    /** The tool's error lines, or its last lines when it stated no error. */
    List<String> lines() {
        return errors.lines();
    }

    /** The kept lines joined with {@code " | "}, as a header value. */
    String headerValue() {
        return headerValue(String.join(" | ", lines()));
    }

    /** Control and non-ASCII characters replaced; a text too long keeps its start (the cause) and its end (the advice). */
    static String headerValue(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (char c : text.toCharArray()) sb.append(c >= 0x20 && c < 0x7f ? c : c == '\t' ? ' ' : '?');
        String value = sb.toString().strip();
        if (value.length() <= MAX_CHARS) return value;
        int half = (MAX_CHARS - 5) / 2;
        return value.substring(0, half) + " ... " + value.substring(value.length() - half);
    }
}

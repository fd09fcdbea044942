package io.statefulset.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;

/**
 * Collects what the code under test logs (slf4j-simple writes to the current System.err) while still showing it,
 * so that tests can assert on the one-line messages users will read.
 */
public final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LogCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits until the captured text holds {@code text}. serve's /readyz turns 200 as soon as the replication threads
     * run, a moment before the setup logs its outcome: tests wait for the line, not assume it.
     */
    public void awaitLine(String text, Duration timeout) {
        Awaitility.await("a log line with '" + text + "'").atMost(timeout)
                .untilAsserted(() -> Assertions.assertTrue(text().contains(text), () -> "captured so far:\n" + text()));
    }

    /** How many times {@code part} was logged so far: a condition is said once, not on every poll. */
    public int count(String part) {
        return occurrences(text(), part);
    }

    public static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }
}

package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StderrTailTest {
    @Test
    void theToolsErrorLinesAreKeptAndItsProgressDropped() {
        StderrTail tail = new StderrTail(List.of());
        tail.add("[01] 2026-12-01 07:20:02 Streaming ./sys/x@0024statements_with_errors_or_warnings.frm to <STDOUT>");
        tail.add("[00] 2026-12-01 07:20:13 Was only able to copy log from 240273823 to 243160115, not 247274645");
        tail.add("[00] 2026-12-01 07:20:13 mariabackup: Try increasing the innodb_log_file_size.");
        tail.add("mariabackup: Stopping log copying thread..");
        assertEquals("Was only able to copy log from 240273823 to 243160115, not 247274645"
                + " | mariabackup: Try increasing the innodb_log_file_size.", tail.headerValue());
    }

    @Test
    void blankLinesDoNotPushErrorsOut() {
        StderrTail tail = new StderrTail(List.of());
        tail.add("Failed to connect");
        tail.add("");
        tail.add("   ");
        assertEquals("Failed to connect", tail.headerValue());
    }

    @Test
    void secretsAreMaskedInTheTailAndInTheLoggedLine() {
        StderrTail tail = new StderrTail(List.of("hunter2", ""));
        assertEquals("Access denied for password ****", tail.add("Access denied for password hunter2"));
        assertFalse(tail.headerValue().contains("hunter2"));
        assertTrue(tail.headerValue().contains(StderrTail.MASK));
    }

    @Test
    void controlAndNonAsciiCharactersBecomeAValidHeaderValue() {
        StderrTail tail = new StderrTail(List.of());
        tail.add("error: tab\there\r bell\u0007 Zürich \u001b[31mred");
        String value = tail.headerValue();
        assertEquals("error: tab here? bell? Z?rich ?[31mred", value);
        assertTrue(value.chars().allMatch(c -> c >= 0x20 && c < 0x7f), value);
    }

    @Test
    void aTextTooLongKeepsItsStartAndItsEnd() {
        String value = StderrTail.headerValue("the cause " + "x".repeat(5000) + " the advice");
        assertTrue(value.length() <= StderrTail.MAX_CHARS, value.length() + " chars");
        assertTrue(value.startsWith("the cause "));
        assertTrue(value.contains(" ... "));
        assertTrue(value.endsWith(" the advice"));
    }
}

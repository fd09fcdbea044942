package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StderrTailTest {
    @Test
    void keepsTheLastLinesJoinedOnOneLine() {
        StderrTail tail = new StderrTail(3, List.of());
        for (int i = 1; i <= 5; i++) tail.add("line " + i);
        assertEquals("line 3 | line 4 | line 5", tail.headerValue());
    }

    @Test
    void blankLinesDoNotPushErrorsOut() {
        StderrTail tail = new StderrTail(2, List.of());
        tail.add("Failed to connect");
        tail.add("");
        tail.add("   ");
        assertEquals("Failed to connect", tail.headerValue());
    }

    @Test
    void secretsAreMaskedInTheTailAndInTheLoggedLine() {
        StderrTail tail = new StderrTail(5, List.of("hunter2", ""));
        assertEquals("Access denied for password ****", tail.add("Access denied for password hunter2"));
        assertFalse(tail.headerValue().contains("hunter2"));
        assertTrue(tail.headerValue().contains(StderrTail.MASK));
    }

    @Test
    void controlAndNonAsciiCharactersBecomeAValidHeaderValue() {
        StderrTail tail = new StderrTail(5, List.of());
        tail.add("tab\there\r bell\u0007 Zürich \u001b[31mred");
        String value = tail.headerValue();
        assertEquals("tab here? bell? Z?rich ?[31mred", value);
        assertTrue(value.chars().allMatch(c -> c >= 0x20 && c < 0x7f), value);
    }

    @Test
    void longTailsKeepTheirEnd() {
        StderrTail tail = new StderrTail(50, List.of());
        for (int i = 0; i < 49; i++) tail.add("x".repeat(100));
        tail.add("the real error");
        String value = tail.headerValue();
        assertEquals(StderrTail.MAX_CHARS, value.length());
        assertTrue(value.startsWith("..."));
        assertTrue(value.endsWith("the real error"));
    }
}

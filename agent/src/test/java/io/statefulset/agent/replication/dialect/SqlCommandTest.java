package io.statefulset.agent.replication.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.secret.Secret;
import org.junit.jupiter.api.Test;

class SqlCommandTest {
    @Test
    void literalsDoubleQuotesAndEscapeBackslashes() {
        assertEquals("'plain'", SqlLiteral.quote("plain", "x"));
        assertEquals("'it''s'", SqlLiteral.quote("it's", "x"));
        assertEquals("'a\\\\b'", SqlLiteral.quote("a\\b", "x"));
        assertEquals("''", SqlLiteral.quote("", "x"));
        assertEquals("'pässwörd €'", SqlLiteral.quote("pässwörd €", "x"));
    }

    @Test
    void literalsRefuseControlCharactersWithoutEchoingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SqlLiteral.quote("top\nsecret", "the password"));
        assertTrue(e.getMessage().startsWith("the password contains a control character (code 10 at index 3)"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SqlLiteral.quote("a\u0000b", "x"));
        assertThrows(IllegalArgumentException.class, () -> SqlLiteral.quote("a\u007fb", "x"));
        assertThrows(IllegalArgumentException.class, () -> SqlLiteral.quote(null, "x"));
    }

    @Test
    void aSecretIsMaskedInTheDisplayAndScrubbedFromErrors() {
        SqlCommand c = SqlCommand.builder("CREATE USER ").literal("repl", "u").text(" IDENTIFIED BY ")
                .secret(Secret.of("p'w", "test"), "pw").build();
        assertEquals("CREATE USER 'repl' IDENTIFIED BY 'p''w'", c.sql());
        assertEquals("CREATE USER 'repl' IDENTIFIED BY '****'", c.display());
        assertEquals("syntax error near '****' at line 1", c.scrub("syntax error near 'p''w' at line 1"));
        assertEquals("raw **** here", c.scrub("raw p'w here"));
    }

    @Test
    void boundValuesAreShownButNotPasted() {
        SqlCommand c = SqlCommand.bound("SET GLOBAL gtid_slave_pos = ?", "0-100-5");
        assertEquals("SET GLOBAL gtid_slave_pos = ?", c.sql());
        assertEquals("SET GLOBAL gtid_slave_pos = ? ['0-100-5']", c.display());
    }
}

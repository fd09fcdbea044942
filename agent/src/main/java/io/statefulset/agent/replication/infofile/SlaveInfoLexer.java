package io.statefulset.agent.replication.infofile;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an {@code xtrabackup_slave_info} into the few token kinds its statements use. String literals are taken
 * as plain text between two single quotes: an escape, a doubled quote or a line break inside one is refused, since
 * the backup tools never write them and they are how an injected value would hide.
 */
final class SlaveInfoLexer {
    enum Kind { WORD, NUMBER, STRING, EQUALS, COMMA, SEMICOLON, END }

    record Token(Kind kind, String text, int line) {
        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        String shown() {
            return switch (kind) {
                case END -> "the end of the file";
                case STRING -> "string " + BinlogInfoParser.shown(text);
                default -> "'" + text + "'";
            };
        }
    }

    private SlaveInfoLexer() {}

    static List<Token> tokens(String fileName, String text) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                i++;
            } else if ((isAsciiLetterOrDigit(c) && !(c >= '0' && c <= '9')) || c == '_') {
                int start = i;
                while (i < text.length() && (isAsciiLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) i++;
                out.add(new Token(Kind.WORD, text.substring(start, i), line));
            } else if (c >= '0' && c <= '9') {
                int start = i;
                while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') i++;
                out.add(new Token(Kind.NUMBER, text.substring(start, i), line));
            } else if (c == '\'') {
                int start = ++i;
                while (i < text.length() && text.charAt(i) != '\'') {
                    char s = text.charAt(i);
                    if (s == '\n' || s == '\r') {
                        throw new InvalidInfoFileException(fileName, line, "a line break inside a quoted value",
                                "the value and its closing quote on one line");
                    }
                    if (s == '\\') {
                        throw new InvalidInfoFileException(fileName, line, "a backslash inside a quoted value",
                                "a binlog file name or a GTID position, which never contain one");
                    }
                    if (s < 0x20 || s == 0x7f) {
                        throw new InvalidInfoFileException(fileName, line, "control character (code " + (int) s + ") inside a quoted value",
                                "printable text");
                    }
                    i++;
                }
                if (i >= text.length()) {
                    throw new InvalidInfoFileException(fileName, line, "a quoted value is never closed", "a closing '");
                }
                out.add(new Token(Kind.STRING, text.substring(start, i), line));
                i++;
                if (i < text.length() && text.charAt(i) == '\'') {
                    throw new InvalidInfoFileException(fileName, line, "a quote inside a quoted value",
                            "a binlog file name or a GTID position, which never contain one");
                }
            } else if (c == '=') {
                out.add(new Token(Kind.EQUALS, "=", line));
                i++;
            } else if (c == ',') {
                out.add(new Token(Kind.COMMA, ",", line));
                i++;
            } else if (c == ';') {
                out.add(new Token(Kind.SEMICOLON, ";", line));
                i++;
            } else {
                throw unexpected(fileName, line, c);
            }
        }
        out.add(new Token(Kind.END, "", line));
        return out;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static InvalidInfoFileException unexpected(String fileName, int line, char c) {
        String shown = c < 0x20 || c == 0x7f ? "control character (code " + (int) c + ")" : "character '" + c + "'";
        return new InvalidInfoFileException(fileName, line, "unexpected " + shown,
                "SET GLOBAL ... = '...' and CHANGE MASTER TO / CHANGE REPLICATION SOURCE TO statements");
    }
}

package io.statefulset.agent.replication.dialect;

/**
 * The one place that turns a value into a SQL string literal, for the statements that mysqld will not prepare
 * with placeholders ({@code CHANGE MASTER TO}, {@code CREATE USER}, {@code GRANT}). Quotes are doubled and
 * backslashes escaped, which is exact as long as the session does not run with {@code NO_BACKSLASH_ESCAPES}
 * ({@link BackslashEscapes} makes sure of that). Control characters are refused rather than escaped: no legitimate
 * host, user, password or binlog name contains one, and a refusal is easier to diagnose than a mangled value.
 */
public final class SqlLiteral {
    private SqlLiteral() {}

    /**
     * @param what names the value in the error message ("the replication password"), never the value itself
     * @throws IllegalArgumentException for null or a value with a control character
     */
    public static String quote(String value, String what) {
        if (value == null) throw new IllegalArgumentException(what + " is missing");
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(what + " contains a control character (code " + (int) c
                        + " at index " + i + "): remove it (a trailing newline in a Secret file is stripped, others are not)");
            }
            if (c == '\'') sb.append("''");
            else if (c == '\\') sb.append("\\\\");
            else sb.append(c);
        }
        return sb.append('\'').toString();
    }
}

package io.statefulset.agent.replication.infofile;

import java.util.Optional;

/**
 * Reads {@code xtrabackup_binlog_info} / {@code mariadb_backup_binlog_info}: the primary's binlog coordinates at the
 * instant of the backup. Three shapes exist: MySQL without GTIDs {@code file<TAB>pos}; MariaDB
 * {@code file<TAB>pos<TAB>domain-server-seq}; MySQL with GTIDs {@code file<TAB>pos<TAB>uuid:1-5,} where a long set
 * continues on the following lines after each comma (that is how MySQL prints it). The tutorial's regex pasted the
 * tab and the position of the three-field form into {@code MASTER_LOG_FILE}; here every field is checked.
 */
public final class BinlogInfoParser {
    static final String EXPECTED = "<binlog file><TAB><position>[<TAB><GTID position>] as the backup tool writes it";

    private BinlogInfoParser() {}

    public static ClonePosition parse(String fileName, String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) refuseControlCharacters(fileName, i + 1, lines[i]);

        int header = firstNonBlank(lines, 0);
        if (header < 0) {
            throw new InvalidInfoFileException(fileName, 1, "the file is empty (the donor ran without a binary log?)",
                    EXPECTED + "; enable log-bin on the primary");
        }
        int lineNo = header + 1;
        String[] fields = lines[header].strip().split("[ \t]+", 3);
        if (fields.length < 2) {
            throw new InvalidInfoFileException(fileName, lineNo, "there is no position after the file name", EXPECTED);
        }
        if (!BinlogPosition.validFileName(fields[0])) {
            throw new InvalidInfoFileException(fileName, lineNo, "binlog file name " + shown(fields[0])
                    + " has characters outside [A-Za-z0-9._-]", EXPECTED);
        }
        long position = position(fileName, lineNo, fields[1]);

        StringBuilder gtidText = new StringBuilder(fields.length == 3 ? fields[2].strip() : "");
        int last = header;
        for (int i = header + 1; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            if (gtidText.length() == 0 || gtidText.charAt(gtidText.length() - 1) != ',') {
                throw new InvalidInfoFileException(fileName, i + 1, "unexpected text " + shown(lines[i].strip()),
                        EXPECTED + " (only a GTID set continues on further lines, after a comma)");
            }
            if (last != i - 1) {
                throw new InvalidInfoFileException(fileName, i + 1, "a blank line inside the GTID set", EXPECTED);
            }
            gtidText.append(lines[i].strip());
            last = i;
        }

        Optional<GtidPosition> gtid = Optional.empty();
        if (gtidText.length() > 0) {
            try {
                gtid = Optional.of(GtidPosition.parse(gtidText.toString()));
            } catch (IllegalArgumentException e) {
                throw new InvalidInfoFileException(fileName, lineNo, "the third field " + shown(gtidText.toString())
                        + " is not a GTID position", GtidPosition.MariaDb.EXPECTED + ", or " + GtidPosition.Mysql.EXPECTED);
            }
        }
        return ClonePosition.coordinates(fileName, new BinlogPosition(fields[0], position), gtid);
    }

    private static long position(String fileName, int lineNo, String field) {
        if (!field.matches("\\d{1,19}")) {
            throw new InvalidInfoFileException(fileName, lineNo, "position " + shown(field) + " is not a number", EXPECTED);
        }
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            throw new InvalidInfoFileException(fileName, lineNo, "position " + field + " is out of range", EXPECTED);
        }
    }

    private static int firstNonBlank(String[] lines, int from) {
        for (int i = from; i < lines.length; i++) if (!lines[i].isBlank()) return i;
        return -1;
    }

    static void refuseControlCharacters(String fileName, int lineNo, String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new InvalidInfoFileException(fileName, lineNo, "control character (code " + (int) c + ") at column " + (i + 1),
                        "printable text");
            }
        }
    }

    /** A value from the file, quoted and shortened for an error message. */
    static String shown(String value) {
        return "'" + (value.length() > 80 ? value.substring(0, 80) + "..." : value) + "'";
    }
}

package io.statefulset.agent.replication.infofile;

import io.statefulset.agent.replication.infofile.SlaveInfoLexer.Kind;
import io.statefulset.agent.replication.infofile.SlaveInfoLexer.Token;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code xtrabackup_slave_info} / {@code mariadb_backup_slave_info}, which a backup taken on a replica with
 * {@code --slave-info} leaves: the position of that replica in the primary's history, written as SQL. The SQL is
 * parsed into a {@link ClonePosition}, never run: only the statement shapes the backup tools write are accepted.
 * <ul>
 *   <li>{@code CHANGE MASTER TO MASTER_LOG_FILE='f', MASTER_LOG_POS=n} (MariaDB, MySQL 5.7/8.0, Percona)</li>
 *   <li>{@code CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='f', SOURCE_LOG_POS=n} (MySQL 8.0.23+)</li>
 *   <li>{@code SET GLOBAL gtid_slave_pos = '0-100-8'; CHANGE MASTER TO master_use_gtid = slave_pos} (MariaDB GTID)</li>
 *   <li>{@code SET GLOBAL gtid_purged='uuid:1-5'; CHANGE MASTER TO MASTER_AUTO_POSITION=1} and the
 *       {@code SOURCE_AUTO_POSITION=1} form (MySQL GTID)</li>
 * </ul>
 * Keywords in any case, with or without {@code ;}, any whitespace and blank lines between tokens. The tutorial's
 * {@code sed 's/;$//'} glued the two GTID statements into one invalid statement; here they are two.
 */
public final class SlaveInfoParser {
    static final String STATEMENTS = "SET GLOBAL gtid_slave_pos|gtid_purged = '<gtid>' and one CHANGE MASTER TO"
            + " / CHANGE REPLICATION SOURCE TO statement";
    private static final String OPTIONS = "MASTER_LOG_FILE='<file>', MASTER_LOG_POS=<n> (or the SOURCE_ forms),"
            + " MASTER_AUTO_POSITION=1 / SOURCE_AUTO_POSITION=1, or master_use_gtid = slave_pos";

    private final String fileName;
    private final List<Token> tokens;
    private int next;

    private Optional<Token> slavePos = Optional.empty();
    private Optional<Token> purged = Optional.empty();
    private Token change;
    private String logFile;
    private Long logPos;
    private Boolean autoPosition;
    private String useGtid;

    private SlaveInfoParser(String fileName, String text) {
        this.fileName = fileName;
        this.tokens = SlaveInfoLexer.tokens(fileName, text);
    }

    public static ClonePosition parse(String fileName, String text) {
        return new SlaveInfoParser(fileName, text).parse();
    }

    private ClonePosition parse() {
        while (peek().kind() != Kind.END) {
            Token t = take();
            if (t.kind() == Kind.SEMICOLON) continue;
            if (t.isWord("SET")) setStatement();
            else if (t.isWord("CHANGE")) changeStatement(t);
            else throw error(t, "unexpected " + t.shown(), STATEMENTS);
            Token after = peek();
            if (after.kind() != Kind.SEMICOLON && after.kind() != Kind.END && !after.isWord("SET") && !after.isWord("CHANGE")) {
                throw error(after, "unexpected " + after.shown() + " after a complete statement", "';' or the next statement");
            }
        }
        return position(peek());
    }

    private void setStatement() {
        expectWord("GLOBAL", "SET GLOBAL gtid_slave_pos = '...' or SET GLOBAL gtid_purged = '...'");
        Token variable = take();
        boolean mariadb = variable.isWord("gtid_slave_pos");
        if (!mariadb && !variable.isWord("gtid_purged")) {
            throw error(variable, "SET of " + variable.shown() + " is not allowed", "gtid_slave_pos or gtid_purged");
        }
        expect(Kind.EQUALS, "'=' after " + variable.text());
        Token value = expect(Kind.STRING, "a quoted GTID position");
        if (mariadb) {
            if (slavePos.isPresent()) throw error(variable, "gtid_slave_pos is set twice", "one SET per variable");
            slavePos = Optional.of(value);
        } else {
            if (purged.isPresent()) throw error(variable, "gtid_purged is set twice", "one SET per variable");
            purged = Optional.of(value);
        }
    }

    private void changeStatement(Token changeWord) {
        if (change != null) {
            throw error(changeWord, "a second CHANGE statement (multi-source replication is not supported)", "one CHANGE statement");
        }
        change = changeWord;
        String prefix;
        Token t = take();
        if (t.isWord("MASTER")) {
            prefix = "MASTER_";
            if (peek().kind() == Kind.STRING) {
                Token connection = take();
                if (!connection.text().isEmpty()) {
                    throw error(connection, "named connection " + connection.shown() + " (multi-source replication is not supported)",
                            "CHANGE MASTER TO for the default connection");
                }
            }
        } else if (t.isWord("REPLICATION")) {
            prefix = "SOURCE_";
            expectWord("SOURCE", "CHANGE REPLICATION SOURCE TO");
        } else {
            throw error(t, "unexpected " + t.shown() + " after CHANGE", "CHANGE MASTER TO or CHANGE REPLICATION SOURCE TO");
        }
        expectWord("TO", "TO");
        option(prefix);
        while (peek().kind() == Kind.COMMA) {
            take();
            option(prefix);
        }
        if (peek().isWord("FOR")) {
            throw error(peek(), "FOR CHANNEL (multi-source replication is not supported)", "the default channel");
        }
    }

    private void option(String prefix) {
        Token name = expect(Kind.WORD, OPTIONS);
        String upper = name.text().toUpperCase(Locale.ROOT);
        expect(Kind.EQUALS, "'=' after " + name.text());
        if (upper.equals(prefix + "LOG_FILE")) {
            Token v = expect(Kind.STRING, "a quoted binlog file name");
            if (logFile != null) throw error(name, name.text() + " given twice", "each option once");
            if (!BinlogPosition.validFileName(v.text())) {
                throw error(v, "binlog file name " + BinlogInfoParser.shown(v.text()) + " has characters outside [A-Za-z0-9._-]",
                        "a binlog file name like mysql-bin.000001");
            }
            logFile = v.text();
        } else if (upper.equals(prefix + "LOG_POS")) {
            Token v = expect(Kind.NUMBER, "a binlog position (a number)");
            if (logPos != null) throw error(name, name.text() + " given twice", "each option once");
            if (v.text().length() > 19) throw error(v, "position " + v.text() + " is out of range", "a binlog position");
            try {
                logPos = Long.parseLong(v.text());
            } catch (NumberFormatException e) {
                throw error(v, "position " + v.text() + " is out of range", "a binlog position");
            }
        } else if (upper.equals(prefix + "AUTO_POSITION")) {
            Token v = expect(Kind.NUMBER, "0 or 1");
            if (autoPosition != null) throw error(name, name.text() + " given twice", "each option once");
            if (!v.text().equals("0") && !v.text().equals("1")) throw error(v, name.text() + "=" + v.text(), name.text() + "=1");
            autoPosition = v.text().equals("1");
        } else if (upper.equals("MASTER_USE_GTID") && prefix.equals("MASTER_")) {
            Token v = expect(Kind.WORD, "slave_pos or no");
            if (useGtid != null) throw error(name, name.text() + " given twice", "each option once");
            if (!v.isWord("slave_pos") && !v.isWord("no")) {
                throw error(v, "master_use_gtid = " + v.text() + " is not supported", "master_use_gtid = slave_pos (or no)");
            }
            useGtid = v.text().toLowerCase(Locale.ROOT);
        } else {
            throw error(name, "option " + name.text() + " is not allowed in an info file (it only carries a position)", OPTIONS);
        }
    }

    private ClonePosition position(Token end) {
        if (change == null) {
            throw error(end, slavePos.isPresent() || purged.isPresent() ? "a SET without a CHANGE statement" : "no statement",
                    STATEMENTS);
        }
        boolean gtid = Boolean.TRUE.equals(autoPosition) || "slave_pos".equals(useGtid);
        boolean coordinates = logFile != null || logPos != null;
        if (gtid && coordinates) {
            throw error(change, "binlog coordinates together with GTID positioning", "one or the other");
        }
        if (coordinates) {
            if (logFile == null || logPos == null) {
                throw error(change, logFile == null ? "a log position without a log file" : "a log file without a log position",
                        "both " + OPTIONS.substring(0, OPTIONS.indexOf(" (")));
            }
            Optional<Token> set = slavePos.or(() -> purged);
            if (set.isPresent()) {
                throw error(set.get(), "a GTID SET next to binlog coordinates", "either coordinates or GTID positioning");
            }
            return ClonePosition.coordinates(fileName, new BinlogPosition(logFile, logPos), Optional.empty());
        }
        if (!gtid) throw error(change, "the CHANGE statement carries no position", OPTIONS);
        if (Boolean.TRUE.equals(autoPosition)) {
            if (slavePos.isPresent()) throw error(slavePos.get(), "gtid_slave_pos (MariaDB) with AUTO_POSITION (MySQL)", "SET GLOBAL gtid_purged");
            return ClonePosition.gtidOnly(fileName, purged.flatMap(v -> gtid(v, true)));
        }
        if (purged.isPresent()) throw error(purged.get(), "gtid_purged (MySQL) with master_use_gtid (MariaDB)", "SET GLOBAL gtid_slave_pos");
        return ClonePosition.gtidOnly(fileName, slavePos.flatMap(v -> gtid(v, false)));
    }

    private Optional<GtidPosition> gtid(Token value, boolean mysql) {
        if (value.text().isBlank()) return Optional.empty();
        try {
            return Optional.of(mysql ? new GtidPosition.Mysql(value.text()) : new GtidPosition.MariaDb(value.text()));
        } catch (IllegalArgumentException e) {
            throw error(value, BinlogInfoParser.shown(value.text()) + " is not a GTID position",
                    mysql ? GtidPosition.Mysql.EXPECTED : GtidPosition.MariaDb.EXPECTED);
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token t = tokens.get(next);
        if (t.kind() != Kind.END) next++;
        return t;
    }

    private Token expect(Kind kind, String expected) {
        Token t = take();
        if (t.kind() != kind) throw error(t, "unexpected " + t.shown(), expected);
        return t;
    }

    private void expectWord(String word, String expected) {
        Token t = take();
        if (!t.isWord(word)) throw error(t, "unexpected " + t.shown(), expected);
    }

    private InvalidInfoFileException error(Token at, String problem, String expected) {
        return new InvalidInfoFileException(fileName, at.line(), problem, expected);
    }
}

package io.statefulset.agent.replication.infofile;

import java.util.regex.Pattern;

/**
 * Where a replica stands in the source's GTID history. MariaDB and MySQL write GTIDs differently and set them with
 * different variables, so the two shapes are distinct types; the text is validated and kept in canonical form
 * (no whitespace: MySQL prints a line break after each comma of a long set).
 */
public sealed interface GtidPosition permits GtidPosition.MariaDb, GtidPosition.Mysql {

    /** The canonical text, as it is bound to {@code gtid_slave_pos} / {@code gtid_purged}. */
    String text();

    /**
     * Either flavor, told apart by shape (a MySQL set has a UUID and colons, a MariaDB list does not).
     *
     * @throws IllegalArgumentException when the text is neither
     */
    static GtidPosition parse(String text) {
        String canonical = canonical(text);
        if (Mysql.SET.matcher(canonical).matches()) return new Mysql(canonical);
        if (MariaDb.LIST.matcher(canonical).matches()) return new MariaDb(canonical);
        throw new IllegalArgumentException("not a GTID position");
    }

    /** Whitespace is allowed only after a comma, where MySQL itself puts line breaks. */
    private static String canonical(String text) {
        if (text == null) throw new IllegalArgumentException("GTID position is missing");
        return text.replaceAll(",\\s+", ",");
    }

    /** MariaDB: {@code domain-server-sequence} per domain, comma separated ({@code 0-100-8,1-101-3}). */
    record MariaDb(String text) implements GtidPosition {
        static final Pattern LIST = Pattern.compile("\\d{1,10}-\\d{1,10}-\\d{1,20}(,\\d{1,10}-\\d{1,10}-\\d{1,20})*");
        public static final String EXPECTED = "a MariaDB GTID list like 0-100-8 or 0-100-8,1-101-3";

        public MariaDb {
            text = canonical(text);
            if (!LIST.matcher(text).matches()) throw new IllegalArgumentException("not " + EXPECTED);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * MySQL: {@code uuid:interval[:interval...]} per source server, comma separated; MySQL 8.4 tagged GTIDs
     * ({@code uuid:tag:interval}) included.
     */
    record Mysql(String text) implements GtidPosition {
        private static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
        private static final String INTERVAL = "\\d{1,19}(-\\d{1,19})?";
        private static final String TAG = "[A-Za-z_][A-Za-z0-9_]{0,31}";
        private static final String MEMBER = UUID + "(:(" + TAG + ":)?" + INTERVAL + ")+";
        static final Pattern SET = Pattern.compile(MEMBER + "(," + MEMBER + ")*");
        public static final String EXPECTED = "a MySQL GTID set like 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5[,uuid:1-3...]";

        public Mysql {
            text = canonical(text);
            if (!SET.matcher(text).matches()) throw new IllegalArgumentException("not " + EXPECTED);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}

package io.statefulset.agent.replication.preflight;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One MariaDB GTID, {@code domain-server-sequence}, as the server prints it in its GTID variables. */
record MariaDbGtid(long domain, long server, long seq) {
    private static final Pattern ONE = Pattern.compile("(\\d{1,10})-(\\d{1,10})-(\\d{1,20})");

    /**
     * A comma-separated list as in {@code @@gtid_slave_pos} or {@code @@gtid_binlog_state}; empty text is an empty
     * list (a server without GTIDs yet).
     *
     * @throws IllegalArgumentException naming {@code what} when the text is not such a list
     */
    static List<MariaDbGtid> list(String text, String what) {
        List<MariaDbGtid> out = new ArrayList<>();
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) return out;
        for (String part : t.split(",")) {
            Matcher m = ONE.matcher(part.strip());
            if (!m.matches()) throw new IllegalArgumentException(what + " is not a MariaDB GTID list: '" + t + "'");
            out.add(new MariaDbGtid(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
        }
        return out;
    }

    @Override
    public String toString() {
        return domain + "-" + server + "-" + seq;
    }
}

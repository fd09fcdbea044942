package io.statefulset.agent.common.protocol;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer of {@code GET /status} (docs/architecture.md, "Wire protocol"): what a pod tells a peer that picks a
 * donor. Plain {@code key=value} lines, so that {@code curl} shows it and a shell can {@code grep} it; unknown keys
 * are ignored, so that a newer agent may add some.
 *
 * @param role          {@code primary} or {@code replica}, as the pod's ordinal says
 * @param mysqlUp       the local mysqld answers
 * @param replicating   both replication threads run (never on the primary)
 * @param lagSeconds    {@code Seconds_Behind_Master}; empty when unknown (not replicating, or the primary)
 * @param gtidPosition  MariaDB {@code gtid_current_pos}, MySQL {@code gtid_executed}; empty when mysqld did not say
 * @param backupRunning a backup is being streamed (a clone asking now would get 503)
 * @param seeding       how the peer can seed a replica; {@link Seeding#UNKNOWN} from an agent that did not say
 */
public record PeerStatus(String role, boolean mysqlUp, boolean replicating, OptionalLong lagSeconds, String gtidPosition,
                         boolean backupRunning, Seeding seeding) {
    public static final String PRIMARY = "primary";
    public static final String REPLICA = "replica";

    /**
     * What a donor can serve: {@code clone_plugin=yes} (its mysqld is MySQL 8.0.17+ with the CLONE plugin ACTIVE),
     * {@code backup_tool=yes} (its agent finds a backup tool for {@code /backup}), and the port of its mysqld, which
     * a CLONE connects to on the peer's host. A key an older agent does not send reads as {@code no} / 3306.
     */
    public record Seeding(boolean clonePlugin, boolean backupTool, int mysqlPort) {
        public static final int DEFAULT_MYSQL_PORT = 3306;
        public static final Seeding UNKNOWN = new Seeding(false, false, DEFAULT_MYSQL_PORT);

        public String describe() {
            return "clone plugin " + (clonePlugin ? "yes" : "no") + ", backup tool " + (backupTool ? "yes" : "no");
        }
    }

    /** A status without seeding keys (what an agent before them said). */
    public PeerStatus(String role, boolean mysqlUp, boolean replicating, OptionalLong lagSeconds, String gtidPosition,
                      boolean backupRunning) {
        this(role, mysqlUp, replicating, lagSeconds, gtidPosition, backupRunning, Seeding.UNKNOWN);
    }

    private static final Pattern MARIADB_GTID = Pattern.compile("\\d+-\\d+-(\\d+)");
    private static final Pattern INTERVAL = Pattern.compile("(\\d+)(?:-(\\d+))?");

    public PeerStatus {
        gtidPosition = gtidPosition.replaceAll("\\s+", "");
    }

    public boolean primary() {
        return PRIMARY.equals(role);
    }

    /** The peer holds a database someone wrote to: mysqld answers and has a GTID position. */
    public boolean holdsData() {
        return mysqlUp && !gtidPosition.isEmpty();
    }

    /**
     * How far the peer has come, as a number of transactions: MariaDB sums the sequence numbers of its domains,
     * MySQL counts the transactions of its GTID set. Two peers of one cluster compare like this because they share
     * domains (MariaDB) or source UUIDs (MySQL); it is a ranking, not an identity.
     */
    public long transactions() {
        long total = 0;
        for (String part : gtidPosition.split(",")) {
            if (part.isEmpty()) continue;
            Matcher m = MARIADB_GTID.matcher(part);
            if (m.matches()) {
                total += Long.parseLong(m.group(1));
                continue;
            }
            String[] uuidAndIntervals = part.split(":");
            for (int i = 1; i < uuidAndIntervals.length; i++) {
                Matcher iv = INTERVAL.matcher(uuidAndIntervals[i]);
                if (!iv.matches()) continue; // a tag (MySQL 8.4 tagged GTIDs): the intervals follow it
                long from = Long.parseLong(iv.group(1));
                long to = iv.group(2) == null ? from : Long.parseLong(iv.group(2));
                total += Math.max(0, to - from + 1);
            }
        }
        return total;
    }

    public String text() {
        return "role=" + role + "\n"
                + "mysql=" + (mysqlUp ? "up" : "down") + "\n"
                + "replicating=" + yesNo(replicating) + "\n"
                + "lag_seconds=" + (lagSeconds.isPresent() ? Long.toString(lagSeconds.getAsLong()) : "unknown") + "\n"
                + "gtid_position=" + gtidPosition + "\n"
                + "backup_running=" + yesNo(backupRunning) + "\n"
                + "clone_plugin=" + yesNo(seeding.clonePlugin()) + "\n"
                + "backup_tool=" + yesNo(seeding.backupTool()) + "\n"
                + "mysql_port=" + seeding.mysqlPort() + "\n";
    }

    /**
     * @return empty when the text is not a status answer (no {@code role=} line): the peer is something else,
     *         such as an older agent that answers 404
     */
    public static Optional<PeerStatus> parse(String text) {
        Map<String, String> f = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) f.put(line.substring(0, eq).trim().toLowerCase(Locale.ROOT), line.substring(eq + 1).trim());
        }
        String role = f.get("role");
        if (role == null || !(role.equals(PRIMARY) || role.equals(REPLICA))) return Optional.empty();
        String lag = f.getOrDefault("lag_seconds", "unknown");
        return Optional.of(new PeerStatus(role, "up".equals(f.get("mysql")), "yes".equals(f.get("replicating")),
                lag.matches("\\d{1,12}") ? OptionalLong.of(Long.parseLong(lag)) : OptionalLong.empty(),
                f.getOrDefault("gtid_position", ""), "yes".equals(f.get("backup_running")),
                new Seeding("yes".equals(f.get("clone_plugin")), "yes".equals(f.get("backup_tool")), port(f.get("mysql_port")))));
    }

    /** {@code replica, replicating, lag 0 s, gtid 0-100-42} for log lines. */
    public String describe() {
        StringBuilder b = new StringBuilder(role);
        if (!mysqlUp) return b.append(", mysqld down").toString();
        if (!primary()) b.append(replicating ? ", replicating" : ", not replicating");
        if (lagSeconds.isPresent()) b.append(", lag ").append(lagSeconds.getAsLong()).append(" s");
        b.append(", gtid ").append(gtidPosition.isEmpty() ? "none" : gtidPosition);
        if (backupRunning) b.append(", busy with a backup");
        return b.toString();
    }

    private static int port(String text) {
        if (text == null || !text.matches("\\d{1,5}")) return Seeding.DEFAULT_MYSQL_PORT;
        int p = Integer.parseInt(text);
        return p >= 1 && p <= 65535 ? p : Seeding.DEFAULT_MYSQL_PORT;
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}

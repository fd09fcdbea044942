package io.statefulset.agent.replication.dialect;

import io.statefulset.agent.replication.ReplicationSetupException;
import io.statefulset.agent.replication.SourceEndpoint;
import io.statefulset.agent.replication.infofile.BinlogPosition;
import io.statefulset.agent.replication.infofile.GtidPosition;
import java.util.ArrayList;
import java.util.List;

/**
 * The replication statements one server version understands. MySQL 8.0.23 introduced
 * {@code CHANGE REPLICATION SOURCE TO} and the {@code SOURCE_*} options (8.0.22 already had {@code START REPLICA}
 * and {@code SHOW REPLICA STATUS}); MySQL 8.4 removed the old words, so the switch happens at 8.0.23 for all of
 * them. MariaDB keeps {@code CHANGE MASTER TO} / {@code START SLAVE} (it accepts {@code START REPLICA} since 10.5;
 * the old words work on every version) and positions by GTID with {@code gtid_slave_pos} and
 * {@code MASTER_USE_GTID=slave_pos}; MySQL with {@code gtid_purged} and {@code *_AUTO_POSITION=1}.
 */
public final class ReplicationDialect {
    /** Seconds between a replica's reconnect attempts; the server default (60) makes a restarted primary look down for a minute. */
    public static final int CONNECT_RETRY_SECONDS = 10;

    private final ServerVersion version;
    private final String changeSource;
    private final String option;
    private final String start;
    private final String status;
    private final String resetGtids;
    private final String binlogStatus;
    private final boolean getPublicKey;

    private ReplicationDialect(ServerVersion version, String changeSource, String option, String start, String status,
                               String resetGtids, String binlogStatus, boolean getPublicKey) {
        this.version = version;
        this.changeSource = changeSource;
        this.option = option;
        this.start = start;
        this.status = status;
        this.resetGtids = resetGtids;
        this.binlogStatus = binlogStatus;
        this.getPublicKey = getPublicKey;
    }

    public static ReplicationDialect of(ServerVersion v) {
        if (v.isMariaDb()) {
            return new ReplicationDialect(v, "CHANGE MASTER TO", "MASTER_", "START SLAVE", "SHOW SLAVE STATUS",
                    "RESET MASTER", "SHOW MASTER STATUS", false);
        }
        // caching_sha2_password (MySQL 8 default) over a plain connection needs the source's RSA key; 5.7 has no
        // such default, and GET_MASTER_PUBLIC_KEY only exists from 8.0.4.
        boolean publicKey = v.atLeast(8, 0, 4);
        String reset = v.atLeast(8, 2, 0) ? "RESET BINARY LOGS AND GTIDS" : "RESET MASTER";
        String binlogStatus = v.atLeast(8, 2, 0) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
        if (v.atLeast(8, 0, 23)) {
            return new ReplicationDialect(v, "CHANGE REPLICATION SOURCE TO", "SOURCE_", "START REPLICA",
                    "SHOW REPLICA STATUS", reset, binlogStatus, publicKey);
        }
        return new ReplicationDialect(v, "CHANGE MASTER TO", "MASTER_", "START SLAVE", "SHOW SLAVE STATUS",
                reset, binlogStatus, publicKey);
    }

    public ServerVersion version() {
        return version;
    }

    /** For the log: {@code MySQL 8.4.3: CHANGE REPLICATION SOURCE TO, START REPLICA}. */
    public String describe() {
        return version + ": " + changeSource + ", " + start;
    }

    /** Point the replica at {@code source}, starting from binlog coordinates. */
    public SqlCommand changeSource(SourceEndpoint source, BinlogPosition at) {
        SqlCommand.Builder b = endpoint(source);
        b.text(", " + option + "LOG_FILE=").literal(at.file(), "the binlog file name")
                .text(", " + option + "LOG_POS=" + at.position());
        // MariaDB 10.10+ would otherwise pick slave_pos on its own when the source supports GTIDs.
        if (version.isMariaDb()) b.text(", MASTER_USE_GTID=no");
        return b.build();
    }

    /** Point the replica at {@code source}, positioned by the GTID state set just before. */
    public SqlCommand changeSourceByGtid(SourceEndpoint source) {
        SqlCommand.Builder b = endpoint(source);
        b.text(version.isMariaDb() ? ", MASTER_USE_GTID=slave_pos" : ", " + option + "AUTO_POSITION=1");
        return b.build();
    }

    private SqlCommand.Builder endpoint(SourceEndpoint source) {
        SqlCommand.Builder b = SqlCommand.builder(changeSource + " ")
                .text(option + "HOST=").literal(source.address().host(), "the source host")
                .text(", " + option + "PORT=" + source.address().port())
                .text(", " + option + "USER=").literal(source.user(), "the replication user");
        source.password().ifPresent(p -> b.text(", " + option + "PASSWORD=").secret(p, "the replication password"));
        b.text(", " + option + "CONNECT_RETRY=" + CONNECT_RETRY_SECONDS);
        if (getPublicKey) b.text(", GET_" + option + "PUBLIC_KEY=1");
        if (unverifiableTls(source)) b.text(", MASTER_SSL_VERIFY_SERVER_CERT=0");
        return b;
    }

    /**
     * MariaDB 11.4 replicas require TLS and verify the source's certificate by default; a self-signed certificate
     * (the one 11.4 generates for itself) is verified through the replication password, so a replication user
     * without password (the tutorial's root) could not connect at all: "SSL certificate is self-signed". For that
     * account the agent keeps TLS but lets the replica skip the verification; the setup warns about it.
     */
    public boolean unverifiableTls(SourceEndpoint source) {
        return version.isMariaDb() && version.atLeast(11, 4, 0) && source.password().map(p -> p.isEmpty()).orElse(true);
    }

    /**
     * The statements that make this server's GTID state equal to {@code gtid}: MariaDB sets {@code gtid_slave_pos};
     * MySQL sets {@code gtid_purged}, which only succeeds on an empty {@code gtid_executed}, hence the reset first
     * when the server already has GTIDs of its own.
     */
    public List<SqlCommand> setGtidPosition(GtidPosition gtid, boolean resetHistoryFirst) {
        List<SqlCommand> out = new ArrayList<>();
        if (version.isMariaDb()) {
            if (!(gtid instanceof GtidPosition.MariaDb)) {
                throw new ReplicationSetupException("the clone carries a MySQL GTID set (" + gtid.text() + ") but the local server is "
                        + version + ": the data dir was cloned from a server of another flavor; re-clone it from this cluster");
            }
            out.add(SqlCommand.bound("SET GLOBAL gtid_slave_pos = ?", gtid.text()));
            return out;
        }
        if (!(gtid instanceof GtidPosition.Mysql)) {
            throw new ReplicationSetupException("the clone carries a MariaDB GTID position (" + gtid.text() + ") but the local server is "
                    + version + ": the data dir was cloned from a server of another flavor; re-clone it from this cluster");
        }
        if (resetHistoryFirst) out.add(SqlCommand.of(resetGtids));
        out.add(SqlCommand.bound("SET GLOBAL gtid_purged = ?", gtid.text()));
        return out;
    }

    public SqlCommand startReplica() {
        return SqlCommand.of(start);
    }

    /** The IO thread only: the SQL thread, running or stopped, is left as it is. */
    public SqlCommand startIoThread() {
        return SqlCommand.of(start + " IO_THREAD");
    }

    /** {@code STOP SLAVE} + {@code RESET SLAVE ALL} (or the REPLICA words): the server forgets its source. */
    public List<SqlCommand> forgetSource() {
        String noun = start.endsWith("REPLICA") ? "REPLICA" : "SLAVE";
        return List.of(SqlCommand.of("STOP " + noun), SqlCommand.of("RESET " + noun + " ALL"));
    }

    public String showReplicaStatus() {
        return status;
    }

    /** The server's own binlog coordinates ({@code SHOW BINARY LOG STATUS} from MySQL 8.2, which 8.4 requires). */
    public String showBinlogStatus() {
        return binlogStatus;
    }
}

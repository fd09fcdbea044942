package io.statefulset.agent.replication.setup;

import static io.statefulset.agent.replication.setup.ReplicaFixture.createSchema;
import static io.statefulset.agent.replication.setup.ReplicaFixture.dataSource;
import static io.statefulset.agent.replication.setup.ReplicaFixture.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.statefulset.agent.rebuild.RebuildMarker;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.ServerFlavor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A MySQL primary rebuilt from another server's data (real mysqld), on every MySQL flavor. There is no xtrabackup
 * here, so the clone is a cold copy of the data dir as a backup tool leaves it: no binlogs, no relay logs, no server
 * UUID, and the info file with the GTID set the tool recorded.
 */
abstract class RebuiltPrimaryMysqlContract {
    @RegisterExtension
    final DatabaseServerExtension servers;
    private final ServerFlavor flavor;

    RebuiltPrimaryMysqlContract(ServerFlavor flavor) {
        this.flavor = flavor;
        this.servers = new DatabaseServerExtension(flavor);
    }

    /** MySQL 8.0 adds to gtid_purged ('+set'); 5.7 resets and sets it whole. */
    private String extendedGtidPurged(String beyond) {
        return flavor == ServerFlavor.MYSQL_5_7
                ? "gtid_purged set to the clone's gtid_executed and the backup's " + beyond + " it lacked"
                : "gtid_purged extended by " + beyond + ", the part of the backup's";
    }

    /** What a physical backup of {@code from} restores: the data, not the server's own logs and identity. */
    Path cloneOf(DatabaseServer from, String gtidExecuted) throws Exception {
        Path target = servers.tempDir("rebuilt-").resolve("data");
        try (Stream<Path> files = Files.walk(from.dataDir())) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.equals("auto.cnf") || name.startsWith("mysql-bin.") || name.contains("relay-bin")) continue;
                Path to = target.resolve(from.dataDir().relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Files.writeString(target.resolve("xtrabackup_binlog_info"), "mysql-bin.000002\t157\t" + gtidExecuted + "\n");
        return target;
    }

    static SetupOutcome primarySetup(DatabaseServer primary) throws Exception {
        try (HikariDataSource ds = dataSource(primary)) {
            return new ReplicationSetup(settings(true, primary, primary, "repl", Optional.empty(),
                    PositioningPreference.GTID_WHEN_AVAILABLE), ds).run();
        }
    }

    static boolean subset(DatabaseServer db, String a, String b) {
        return db.queryOne("SELECT GTID_SUBSET('" + a + "', '" + b + "')").equals("1");
    }

    @Test
    void whatTheBackupRecordedBeyondTheRestoredGtidSetIsAddedToGtidPurged() throws Exception {
        DatabaseServer source = servers.start(101);
        createSchema(source);
        String uuid = source.queryOne("SELECT @@GLOBAL.server_uuid");
        String executed = source.queryOne("SELECT @@GLOBAL.gtid_executed").replaceAll("\\s+", "");
        long last = Long.parseLong(executed.substring(executed.lastIndexOf('-') + 1));
        String beyond = uuid + ":" + (last + 1) + "-" + (last + 3);
        source.stop();

        // As if mysql.gtid_executed lagged behind the position the backup tool wrote down.
        DatabaseServer rebuilt = servers.startOn(cloneOf(source, executed + "," + beyond), 100);
        RebuildMarker.in(rebuilt.dataDir()).write("127.0.0.1:" + source.port(), executed);
        String detail = primarySetup(rebuilt).detail();
        assertTrue(detail.contains(extendedGtidPurged(beyond)), detail);
        String purged = rebuilt.queryOne("SELECT @@GLOBAL.gtid_purged").replaceAll("\\s+", "");
        assertTrue(subset(rebuilt, executed + "," + beyond, purged), purged + " holds the whole recorded position");
        assertEquals("0", rebuilt.queryOne("SELECT @@GLOBAL.super_read_only"));
    }
}

package io.statefulset.agent.replication.setup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.mysql.ReplicaServerState;
import io.statefulset.agent.replication.ReplicationSetupException;
import io.statefulset.agent.replication.SourceEndpoint;
import io.statefulset.agent.replication.dialect.ReplicationDialect;
import io.statefulset.agent.replication.dialect.ServerVersion;
import io.statefulset.agent.replication.dialect.SqlCommand;
import io.statefulset.agent.replication.infofile.BackupInfoFiles;
import io.statefulset.agent.replication.infofile.BinlogPosition;
import io.statefulset.agent.replication.infofile.ClonePosition;
import io.statefulset.agent.replication.infofile.InvalidInfoFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The info files a clone leaves in the data dir are written by the donor's backup tool: input that another machine
 * controls, and the only file contents that reach SQL. On any bytes, under any of the four names, the outcome is
 * either a parsed position whose every value passed the validation that guards the SQL, or the documented refusal
 * ({@link InvalidInfoFileException}); and every statement planned from a parsed position, for every dialect, holds
 * only characters of the allowed sets (the values are bound or validated, never pasted).
 *
 * <p>Regression inputs (replayed by every test run): {@code src/test/resources/.../InfoFileFuzzTestInputs/}.
 * Longer fuzzing: {@code bin/fuzz}.
 */
class InfoFileFuzzTest {
    private static final List<String> NAMES = new ArrayList<>();
    static {
        NAMES.addAll(BackupInfoFiles.SLAVE_INFO);
        NAMES.addAll(BackupInfoFiles.BINLOG_INFO);
    }
    private static final SourceEndpoint SOURCE = new SourceEndpoint(new HostPort("mysql-0.mysql", 3306), "repl", Optional.empty());
    /** What a statement may contain: keywords, the source's name and user, quoted validated values, bound markers. */
    private static final Pattern STATEMENT = Pattern.compile("[A-Za-z0-9 _=',.:?()-]*");
    private static final Pattern BOUND_VALUE = Pattern.compile("[0-9A-Za-z_:,.-]*");
    private static final List<ReplicaServerState> SERVERS = List.of(
            new ReplicaServerState(ServerVersion.parse("10.11.19-MariaDB"), 101, true, "", false),
            new ReplicaServerState(ServerVersion.parse("5.7.22-log"), 101, true, "", true),
            new ReplicaServerState(ServerVersion.parse("8.0.22"), 101, false, "", true),
            new ReplicaServerState(ServerVersion.parse("8.0.33"), 101, true, "", true),
            new ReplicaServerState(ServerVersion.parse("8.4.3"), 101, true, "", true));
    private static final Path DIR;
    static {
        try {
            DIR = Files.createTempDirectory("info-file-fuzz-");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyInfoFileParsesToValidatedValuesOrIsRefused(FuzzedDataProvider data) throws IOException {
        String name = NAMES.get(data.consumeInt(0, NAMES.size() - 1));
        for (String n : NAMES) Files.deleteIfExists(DIR.resolve(n));
        Files.write(DIR.resolve(name), data.consumeRemainingAsBytes());
        Optional<ClonePosition> position;
        try {
            position = BackupInfoFiles.read(DIR);
        } catch (InvalidInfoFileException refused) {
            assertTrue(refused.getMessage().contains(name), "a refusal names the file: " + refused.getMessage());
            return;
        }
        if (position.isEmpty()) return; // a blank slave info file: not cloned from a replica
        ClonePosition p = position.get();
        p.binlog().ifPresent(b -> {
            assertTrue(BinlogPosition.validFileName(b.file()), "binlog file name passed validation: " + b.file());
            assertTrue(b.position() >= 0, "binlog position " + b.position());
        });
        for (ReplicaServerState server : SERVERS) {
            for (PositioningPreference pref : PositioningPreference.values()) {
                ReplicationPlan plan;
                try {
                    plan = ReplicationPlanner.plan(ReplicationDialect.of(server.version()), server, p, SOURCE, pref);
                } catch (ReplicationSetupException refused) {
                    continue; // e.g. a MySQL GTID set for a MariaDB server: refused before any statement
                }
                for (SqlCommand step : plan.steps()) {
                    assertTrue(STATEMENT.matcher(step.sql()).matches(), "statement holds only allowed characters: " + step.sql());
                    for (String v : step.parameters()) {
                        assertTrue(BOUND_VALUE.matcher(v).matches(), "bound value holds only allowed characters: " + v);
                    }
                }
            }
        }
    }
}

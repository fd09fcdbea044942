package io.statefulset.agent.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicationMarkerTest {
    @TempDir
    Path dir;

    @Test
    void writtenThenReadBack() {
        ReplicationMarker m = ReplicationMarker.configured(dir);
        assertFalse(m.exists());
        assertEquals(Optional.empty(), m.read());
        m.write(ReplicationMarker.Entry.of(101, "mysql-0.mysql:3306", "GTID 0-100-5 from xtrabackup_binlog_info"));
        assertTrue(m.exists());
        assertEquals(dir.resolve(".agent-replication-configured"), m.path());
        ReplicationMarker.Entry e = m.read().orElseThrow();
        assertEquals(OptionalLong.of(101), e.serverId());
        assertEquals("mysql-0.mysql:3306", e.source());
        assertEquals("GTID 0-100-5 from xtrabackup_binlog_info", e.position());
        assertTrue(e.writtenAt().isPresent());
        assertTrue(e.belongsTo(101));
        assertFalse(e.belongsTo(102));
    }

    @Test
    void rewritingLeavesNoTemporaryFiles() throws Exception {
        ReplicationMarker m = ReplicationMarker.pending(dir);
        m.write(ReplicationMarker.Entry.of(1, "a:1", "p1"));
        m.write(ReplicationMarker.Entry.of(1, "a:1", "p2"));
        assertEquals("p2", m.read().orElseThrow().position());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(".agent-replication-pending"), files.map(p -> p.getFileName().toString()).toList());
        }
        m.delete();
        assertFalse(m.exists());
        m.delete();
    }

    @Test
    void aHandMadeMarkerBelongsToAnyServer() throws Exception {
        Files.writeString(dir.resolve(ReplicationMarker.CONFIGURED), "");
        ReplicationMarker.Entry e = ReplicationMarker.configured(dir).read().orElseThrow();
        assertEquals(OptionalLong.empty(), e.serverId());
        assertTrue(e.belongsTo(7));
    }

    @Test
    void garbageFieldsReadAsUnknown() throws Exception {
        Files.writeString(dir.resolve(ReplicationMarker.CONFIGURED), "written_at=yesterday\nserver_id=abc\n");
        ReplicationMarker.Entry e = ReplicationMarker.configured(dir).read().orElseThrow();
        assertEquals(Optional.empty(), e.writtenAt());
        assertEquals(OptionalLong.empty(), e.serverId());
    }
}

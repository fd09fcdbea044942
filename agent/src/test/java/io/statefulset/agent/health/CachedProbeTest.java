package io.statefulset.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cache is what keeps kubelet and Prometheus from hammering mysqld: counted on the server itself. */
class CachedProbeTest {
    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    private static long slaveStatusQueries(DatabaseServer db) {
        return Long.parseLong(db.queryOne("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                + " WHERE VARIABLE_NAME = 'COM_SHOW_SLAVE_STATUS'"));
    }

    @Test
    void mysqldIsQueriedOncePerTtlHoweverOftenItIsAsked() throws Exception {
        DatabaseServer db = servers.start(1);
        CachedProbe cached = new CachedProbe(new JdbcTestProbe(db), Duration.ofMinutes(5));
        long before = slaveStatusQueries(db);
        for (int i = 0; i < 10; i++) assertTrue(cached.reading().alive());
        assertEquals(before + 1, slaveStatusQueries(db));

        CachedProbe expiring = new CachedProbe(new JdbcTestProbe(db), Duration.ZERO);
        long beforeExpiring = slaveStatusQueries(db);
        for (int i = 0; i < 3; i++) expiring.reading();
        assertEquals(beforeExpiring + 3, slaveStatusQueries(db));
    }

    @Test
    void aStoppedServerReadsAsNotAlive() throws Exception {
        DatabaseServer db = servers.start(1);
        CachedProbe probe = new CachedProbe(new JdbcTestProbe(db).configured(true), Duration.ZERO);
        assertTrue(probe.reading().alive());
        db.kill(); // only a dead port is needed: no clean InnoDB shutdown to wait for
        ProbeReading r = probe.reading();
        assertFalse(r.alive());
        assertTrue(r.replica().isEmpty());
        assertTrue(r.replicationConfigured());
    }
}

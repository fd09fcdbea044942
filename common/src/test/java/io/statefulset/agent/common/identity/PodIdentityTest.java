package io.statefulset.agent.common.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PodIdentityTest {
    @Test
    void ordinalZeroIsThePrimaryWithNoDonors() {
        PodIdentity pod = PodIdentity.fromHostname("mysql-0", "mysql");
        assertEquals("mysql", pod.statefulSet());
        assertEquals(0, pod.ordinal());
        assertTrue(pod.isPrimary());
        assertEquals(100, pod.serverId(100));
        assertEquals("mysql-0.mysql", pod.ownHost());
        assertEquals(List.of(), pod.defaultDonors(3307));
    }

    @Test
    void ordinalOneIsAReplicaSeededFromThePrimary() {
        PodIdentity pod = PodIdentity.fromHostname("mysql-1", "mysql");
        assertFalse(pod.isPrimary());
        assertEquals(101, pod.serverId(100));
        assertEquals("mysql-1.mysql", pod.ownHost());
        assertEquals("mysql-0.mysql", pod.primaryHost());
        assertEquals(List.of(new HostPort("mysql-0.mysql", 3307)), pod.defaultDonors(3307));
    }

    @Test
    void hyphenatedStatefulSetAndTwoDigitOrdinal() {
        PodIdentity pod = PodIdentity.fromHostname("my-db-12", "db");
        assertEquals("my-db", pod.statefulSet());
        assertEquals(12, pod.ordinal());
        assertEquals(112, pod.serverId(100));
        assertEquals("my-db-12", pod.podName());
        assertEquals("my-db-12.db", pod.ownHost());
        List<HostPort> donors = pod.defaultDonors(3307);
        assertEquals(12, donors.size());
        assertEquals(new HostPort("my-db-11.db", 3307), donors.get(0), "nearest peer first, like the tutorial");
        assertEquals(new HostPort("my-db-0.db", 3307), donors.get(11), "the primary last");
    }

    @Test
    void fullyQualifiedHostnameUsesTheFirstLabel() {
        PodIdentity pod = PodIdentity.fromHostname("mysql-2.mysql.default.svc.cluster.local", "mysql");
        assertEquals("mysql", pod.statefulSet());
        assertEquals(2, pod.ordinal());
        assertEquals("mysql-2.mysql", pod.ownHost());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mysql-", "-1", "mysql-x", "mysql-01", "MySQL-1", "mysql_1", "my..db-1", " ", "mysql-1a"})
    void hostnamesWithoutAnOrdinalAreRefusedWithTheExpectedForm(String hostname) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PodIdentity.fromHostname(hostname, "mysql"));
        assertTrue(e.getMessage().contains("<statefulset>-<ordinal>"), e.getMessage());
    }
}

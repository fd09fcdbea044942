package io.statefulset.agent.replication.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.replication.dialect.ServerVersion.Flavor;
import org.junit.jupiter.api.Test;

class ServerVersionTest {
    @Test
    void mariaDbAsDebianReportsIt() {
        ServerVersion v = ServerVersion.parse("10.11.19-MariaDB-0+deb12u1-log");
        assertEquals(Flavor.MARIADB, v.flavor());
        assertEquals(10, v.major());
        assertEquals(11, v.minor());
        assertEquals(19, v.patch());
        assertEquals("MariaDB 10.11.19", v.toString());
    }

    @Test
    void mariaDbWithTheReplicationPrefix() {
        ServerVersion v = ServerVersion.parse("5.5.5-10.11.19-MariaDB");
        assertEquals(Flavor.MARIADB, v.flavor());
        assertEquals(10, v.major());
        assertEquals(19, v.patch());
    }

    @Test
    void mysqlVariants() {
        assertEquals(new ServerVersion(Flavor.MYSQL, 8, 4, 3, "8.4.3"), ServerVersion.parse("8.4.3"));
        assertEquals(Flavor.MYSQL, ServerVersion.parse("5.7.44-log").flavor());
        assertEquals(0, ServerVersion.parse("8.0.36-28").minor());
        assertEquals(9, ServerVersion.parse("9.1.0-commercial").major());
    }

    @Test
    void boundaries() {
        ServerVersion v = ServerVersion.parse("8.0.23");
        assertTrue(v.atLeast(8, 0, 23));
        assertTrue(v.atLeast(8, 0, 22));
        assertTrue(v.atLeast(5, 7, 44));
        assertFalse(v.atLeast(8, 0, 24));
        assertFalse(v.atLeast(8, 1, 0));
        assertFalse(v.atLeast(9, 0, 0));
    }

    @Test
    void garbageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ServerVersion.parse("MariaDB"));
        assertThrows(IllegalArgumentException.class, () -> ServerVersion.parse("v8"));
    }
}

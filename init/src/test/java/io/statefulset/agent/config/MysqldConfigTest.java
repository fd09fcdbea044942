package io.statefulset.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.identity.PodIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MysqldConfigTest {
    private static final String PRIMARY = "[mysqld]\nlog-bin\n";
    private static final String REPLICA = "[mysqld]\nsuper-read-only\n";

    @TempDir
    Path tmp;
    Path configMap;
    Path conf;

    @BeforeEach
    void configMap() throws IOException {
        configMap = Files.createDirectories(tmp.resolve("config-map"));
        conf = tmp.resolve("conf.d"); // missing on purpose: init creates it
        Files.writeString(configMap.resolve("primary.cnf"), PRIMARY);
        Files.writeString(configMap.resolve("replica.cnf"), REPLICA);
    }

    @Test
    void primaryGetsServerId100AndPrimaryCnf() throws IOException {
        String role = new MysqldConfig(configMap, conf).apply(PodIdentity.fromHostname("mysql-0", "mysql"), 100);
        assertEquals("primary.cnf", role);
        assertEquals("[mysqld]\nserver-id=100\nreport_host=mysql-0.mysql\n", Files.readString(conf.resolve("server-id.cnf")));
        assertEquals(PRIMARY, Files.readString(conf.resolve("primary.cnf")));
        assertFalse(Files.exists(conf.resolve("replica.cnf")));
        assertEquals(List.of("primary.cnf", "server-id.cnf"), listing(conf), "no temp files left behind");
    }

    @Test
    void replicaOneGetsServerId101AndReplicaCnf() throws IOException {
        String role = new MysqldConfig(configMap, conf).apply(PodIdentity.fromHostname("mysql-1", "mysql"), 100);
        assertEquals("replica.cnf", role);
        assertEquals("[mysqld]\nserver-id=101\nreport_host=mysql-1.mysql\n", Files.readString(conf.resolve("server-id.cnf")));
        assertEquals(REPLICA, Files.readString(conf.resolve("replica.cnf")));
        assertEquals(List.of("replica.cnf", "server-id.cnf"), listing(conf));
    }

    @Test
    void ordinalTwelveWithOtherNamesAndOffset() throws IOException {
        new MysqldConfig(configMap, conf).apply(PodIdentity.fromHostname("my-db-12", "db-headless"), 1000);
        assertEquals("[mysqld]\nserver-id=1012\nreport_host=my-db-12.db-headless\n", Files.readString(conf.resolve("server-id.cnf")));
        assertEquals(REPLICA, Files.readString(conf.resolve("replica.cnf")));
    }

    @Test
    void rerunReplacesPreviousFiles() throws IOException {
        MysqldConfig config = new MysqldConfig(configMap, conf);
        config.apply(PodIdentity.fromHostname("mysql-1", "mysql"), 100);
        Files.writeString(configMap.resolve("replica.cnf"), "[mysqld]\nread-only\n");
        config.apply(PodIdentity.fromHostname("mysql-1", "mysql"), 200);
        assertEquals("[mysqld]\nserver-id=201\nreport_host=mysql-1.mysql\n", Files.readString(conf.resolve("server-id.cnf")));
        assertEquals("[mysqld]\nread-only\n", Files.readString(conf.resolve("replica.cnf")));
        assertEquals(List.of("replica.cnf", "server-id.cnf"), listing(conf));
    }

    @Test
    void missingRoleFileIsAnErrorNamingThePath() throws IOException {
        Files.delete(configMap.resolve("replica.cnf"));
        IOException e = assertThrows(IOException.class,
                () -> new MysqldConfig(configMap, conf).apply(PodIdentity.fromHostname("mysql-3", "mysql"), 100));
        assertTrue(e.getMessage().contains(configMap.resolve("replica.cnf").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--config-map-dir"), e.getMessage());
        assertFalse(Files.exists(conf.resolve("server-id.cnf")), "nothing written when the config is incomplete");
    }

    @Test
    void serverIdZeroIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MysqldConfig(configMap, conf).apply(PodIdentity.fromHostname("mysql-0", "mysql"), 0));
        assertTrue(e.getMessage().contains("--server-id-offset"), e.getMessage());
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

package io.statefulset.agent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every flavor starts for real, from its own binaries, with the options the replication tests rely on. */
class DatabaseServerExtensionTest {
    @RegisterExtension
    final DatabaseServerExtension servers = new DatabaseServerExtension();

    @ParameterizedTest
    @EnumSource(ServerFlavor.class)
    void startsAServerOfTheFlavorThatKeepsItsDataAcrossARestart(ServerFlavor flavor) throws Exception {
        DatabaseServer db = servers.start(flavor, 7);
        String version = db.queryOne("SELECT VERSION()");
        String expected = switch (flavor) {
            case MARIADB_10_11 -> "10.11.";
            case MARIADB_11_4 -> "11.4.5-MariaDB";
            case MYSQL_5_7 -> "5.7.22";
            case MYSQL_8_0 -> "8.0.33";
        };
        assertTrue(version.startsWith(expected), flavor + " answered VERSION() = " + version);
        assertEquals("7", db.queryOne("SELECT @@GLOBAL.server_id"));
        assertEquals("1", db.queryOne("SELECT @@GLOBAL.log_bin"));
        if (flavor.isMysql()) assertEquals("ON", db.queryOne("SELECT @@GLOBAL.gtid_mode"));
        assertEquals("1", db.queryOne("SELECT COUNT(*) FROM mysql.user WHERE User = 'root' AND Host = '%'"));

        db.execute("CREATE DATABASE kept", "CREATE TABLE kept.t (id INT PRIMARY KEY)", "INSERT INTO kept.t VALUES (1)");
        db.stop();
        db.start();
        assertEquals("1", db.queryOne("SELECT COUNT(*) FROM kept.t"));
        if (flavor == ServerFlavor.MYSQL_8_0) {
            assertTrue(Files.exists(flavor.baseDir().resolve("lib/plugin/mysql_clone.so")), "the clone plugin is unpacked");
            // The server finds it in its default plugin_dir (basedir/lib/plugin): what the CLONE tests build on.
            db.execute("INSTALL PLUGIN clone SONAME 'mysql_clone.so'");
            assertEquals("ACTIVE", db.queryOne("SELECT PLUGIN_STATUS FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'clone'"));
            assertTrue(Files.isExecutable(flavor.program("mysql")), "the mysql client is unpacked");
        }
    }
}

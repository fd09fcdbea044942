package io.statefulset.agent.backup;

import io.statefulset.agent.testing.DatabaseServer;

/** Test data with a fingerprint: enough rows that a backup takes more than a blink, and a way to compare copies. */
final class Shop {
    private Shop() {}

    /** {@code rows} rows of ~1 KB in {@code shop.items} (InnoDB), via MariaDB's sequence engine. */
    static void fill(DatabaseServer db, int rows) {
        db.execute("CREATE DATABASE IF NOT EXISTS shop",
                "CREATE TABLE shop.items (id INT PRIMARY KEY, payload VARCHAR(1024)) ENGINE=InnoDB",
                "INSERT INTO shop.items SELECT seq, CONCAT(seq, ':', REPEAT(SHA2(seq, 256), 15)) FROM shop.seq_1_to_" + rows);
    }

    /** Row count and a content checksum of {@code shop.items}. */
    static String fingerprint(DatabaseServer db) {
        return db.queryOne("SELECT CONCAT(COUNT(*), '/', SUM(CRC32(payload))) FROM shop.items");
    }
}

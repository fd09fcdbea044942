package io.statefulset.agent.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real mariadbd holding rows, and one stored mariadb-backup stream of it: the fixture a test class shares, so that
 * each test clones real data without paying for a backup each time.
 */
public final class SeededServer implements AutoCloseable {
    /** What the rows look like, as one comparable string: count, id sum and a CRC of every name. */
    public static final String FINGERPRINT =
            "SELECT CONCAT(COUNT(*), ':', SUM(id), ':', SUM(CRC32(name))) FROM shop.items";

    private final Path base;
    private final DatabaseServer db;
    private final Path stream;

    private SeededServer(Path base, DatabaseServer db, Path stream) {
        this.base = base;
        this.db = db;
        this.stream = stream;
    }

    public static SeededServer start(int rows) throws Exception {
        Path base = Files.createTempDirectory("seeded-");
        DatabaseServer db = null;
        try {
            db = DatabaseServer.fresh(base, 100);
            db.execute("SET SESSION max_recursive_iterations = 10000000", "CREATE DATABASE shop",
                    "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL) ENGINE=InnoDB",
                    "INSERT INTO shop.items WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < " + rows
                            + ") SELECT n, CONCAT('item-', n, '-', MD5(n)) FROM s",
                    "CREATE TABLE shop.notes (id INT PRIMARY KEY, note TEXT) ENGINE=Aria",
                    "INSERT INTO shop.notes VALUES (1, 'aria tables travel too')");
            Path stream = BackupStream.capture(db, base.resolve("backup.xbstream"));
            return new SeededServer(base, db, stream);
        } catch (Exception | Error e) {
            if (db != null) db.kill();
            DatabaseServerExtension.deleteTree(base);
            throw e;
        }
    }

    public DatabaseServer db() {
        return db;
    }

    /** The stored backup stream (do not modify: copy it to corrupt it). */
    public Path stream() {
        return stream;
    }

    public String fingerprint() {
        return db.queryOne(FINGERPRINT);
    }

    @Override
    public void close() throws Exception {
        db.kill();
        DatabaseServerExtension.deleteTree(base);
    }
}

package io.statefulset.agent.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load generator: inserts rows of {@link #ROW_BYTES} into {@code busy.writes} at a steady rate (ticks of
 * 100 ms, each writing its share in one statement, the rows made by the server), until closed or until
 * {@code maxBytes} are written. The rate is a target: a busy machine may reach less, {@link #bytesPerSecond()} says.
 */
public final class SteadyWriter implements AutoCloseable {
    public static final String DATABASE = "busy";
    public static final String TABLE = DATABASE + ".writes";
    public static final int ROW_BYTES = 4096;
    /** Random, so that neither InnoDB nor the stream can compress the load away. */
    private static final String ROW_VALUE = "REPEAT(MD5(RAND()), " + ROW_BYTES / 32 + ")";
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong bytes = new AtomicLong();
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private volatile long endNanos;
    private volatile Exception failure;

    private SteadyWriter(String jdbcUrl, String user, String password, long targetBytesPerSecond, long maxBytes) {
        int rowsPerTick = (int) Math.max(1, targetBytesPerSecond / 10 / ROW_BYTES);
        thread = new Thread(() -> run(jdbcUrl, user, password, rowsPerTick, maxBytes), "steady-writer");
        thread.setDaemon(true);
    }

    /** Creates the table (if missing) and starts writing. */
    public static SteadyWriter start(String jdbcUrl, String user, String password, long targetBytesPerSecond, long maxBytes)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
            for (String sql : createTable()) s.execute(sql);
        }
        SteadyWriter w = new SteadyWriter(jdbcUrl, user, password, targetBytesPerSecond, maxBytes);
        w.thread.start();
        return w;
    }

    private static List<String> createTable() {
        return List.of("CREATE DATABASE IF NOT EXISTS " + DATABASE, "CREATE TABLE IF NOT EXISTS " + TABLE
                + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARBINARY(" + ROW_BYTES + ") NOT NULL) ENGINE=InnoDB");
    }

    /** {@code rows} rows of the writer's kind, in one statement: data for a backup to take a while over. */
    public static void seed(MariaDb db, int rows) {
        List<String> sql = new ArrayList<>(createTable());
        sql.add("INSERT INTO " + TABLE + " (v) SELECT " + ROW_VALUE + " FROM " + DATABASE + ".seq_1_to_" + rows);
        db.execute(sql.toArray(String[]::new));
    }

    public static SteadyWriter on(MariaDb db, long targetBytesPerSecond, long maxBytes) throws SQLException {
        return start(db.jdbcUrl(), "root", "", targetBytesPerSecond, maxBytes);
    }

    private void run(String jdbcUrl, String user, String password, int rowsPerTick, long maxBytes) {
        String insert = "INSERT INTO " + TABLE + " (v) SELECT " + ROW_VALUE + " FROM " + DATABASE + ".seq_1_to_" + rowsPerTick;
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
            long next = System.nanoTime();
            while (!stop.get() && bytes.get() < maxBytes) {
                s.executeUpdate(insert);
                bytes.addAndGet((long) rowsPerTick * ROW_BYTES);
                next += TICK_NANOS;
                long wait = next - System.nanoTime();
                // Pacing to the rate, not synchronisation; a writer that fell behind does not burst to catch up.
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                else next = System.nanoTime();
            }
        } catch (Exception e) {
            if (!stop.get()) failure = e;
        } finally {
            endNanos = System.nanoTime();
        }
    }

    /** Row bytes written so far. */
    public long bytes() {
        return bytes.get();
    }

    /** The rate reached, in bytes per second of row data. */
    public double bytesPerSecond() {
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        return bytes.get() / Math.max(1e-9, (end - startNanos) / 1e9);
    }

    /** Stops writing (the statement in flight completes) and rethrows a failure of the writer. */
    @Override
    public void close() throws Exception {
        stop.set(true);
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (failure != null) throw new IllegalStateException("the writer failed after " + bytes.get() + " bytes: " + failure, failure);
    }

    /** Rows and a CRC of every row up to {@code maxId}: equal on two servers means the same rows. */
    public static String fingerprint(MariaDb db, long maxId) {
        return db.queryOne("SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(v)), 0)) FROM " + TABLE + " WHERE id <= " + maxId);
    }

    public static long maxId(MariaDb db) {
        return Long.parseLong(db.queryOne("SELECT COALESCE(MAX(id), 0) FROM " + TABLE));
    }

    /** The server's current redo position ({@code Innodb_lsn_current}). */
    public static long lsn(MariaDb db) {
        return Long.parseLong(db.queryOne("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_LSN_CURRENT'"));
    }
}

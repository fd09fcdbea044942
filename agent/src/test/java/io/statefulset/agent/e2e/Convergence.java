package io.statefulset.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * "The replicas have what the primary has": a marker row written on the primary must arrive on every replica, and
 * then the table's checksum must be the same everywhere.
 */
final class Convergence {
    static final String TABLE = "e2e.items";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalCluster cluster;

    Convergence(LocalCluster cluster) {
        this.cluster = cluster;
    }

    void createTable(Pod primary) throws SQLException {
        primary.execute("CREATE DATABASE IF NOT EXISTS e2e",
                "CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(200) NOT NULL)");
    }

    /** Inserts a fresh marker row on the primary and returns the marker (letters and digits only). */
    String writeMarker(Pod primary, String label) throws SQLException {
        String marker = label + "-" + Long.toString(Math.abs(RANDOM.nextLong()), 36);
        primary.execute("INSERT INTO " + TABLE + " (note) VALUES ('" + marker + "')");
        return marker;
    }

    void awaitMarker(List<Pod> replicas, String marker, Duration timeout) {
        for (Pod r : replicas) {
            await("row '" + marker + "' on " + r.name()).atMost(timeout).ignoreExceptionsInstanceOf(Exception.class)
                .untilAsserted(() -> assertTrue(r.queryOne("SELECT COUNT(*) FROM " + TABLE + " WHERE note = '" + marker + "'").equals("1"), cluster::diagnostics));
        }
    }

    /** Writes a marker on the primary, waits for it on every replica, then for equal checksums; returns the checksum. */
    String converge(Pod primary, List<Pod> replicas, String label, Duration timeout) throws SQLException {
        String marker = writeMarker(primary, label);
        awaitMarker(replicas, marker, timeout);
        return awaitEqualChecksums(primary, replicas, TABLE, timeout);
    }

    String awaitEqualChecksums(Pod primary, List<Pod> replicas, String table, Duration timeout) {
        AtomicReference<String> agreed = new AtomicReference<>();
        await("CHECKSUM TABLE " + table + " equal on " + primary.name() + " and " + names(replicas)).atMost(timeout)
                .ignoreExceptionsInstanceOf(Exception.class).untilAsserted(() -> {
                    String expected = primary.checksum(table);
                    Map<String, String> all = new LinkedHashMap<>();
                    for (Pod r : replicas) all.put(r.name(), r.checksum(table));
                    assertTrue(all.values().stream().allMatch(expected::equals),
                            () -> checksums(primary, replicas, table) + "\n" + cluster.diagnostics());
                    agreed.set(expected);
                });
        return agreed.get();
    }

    private static String checksums(Pod primary, List<Pod> replicas, String table) {
        List<Pod> all = new ArrayList<>(List.of(primary));
        all.addAll(replicas);
        StringBuilder sb = new StringBuilder("checksums of " + table + ":");
        for (Pod p : all) {
            try {
                sb.append(' ').append(p.name()).append('=').append(p.checksum(table));
            } catch (SQLException e) {
                sb.append(' ').append(p.name()).append("=error(").append(e.getMessage()).append(')');
            }
        }
        return sb.toString();
    }

    static String names(List<Pod> pods) {
        return String.join(", ", pods.stream().map(Pod::name).toList());
    }
}

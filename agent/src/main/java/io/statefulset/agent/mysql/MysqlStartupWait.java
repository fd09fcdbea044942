package io.statefulset.agent.mysql;

import io.statefulset.agent.replication.ReplicationSetupException;
import io.statefulset.agent.replication.dialect.ServerVersion;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the local mysqld, which starts next to the sidecar (and on a first start may spend minutes in crash
 * recovery), with growing pauses between attempts. A wrong password does not get better with time: it ends the
 * wait at once.
 */
public final class MysqlStartupWait {
    private static final Logger log = LoggerFactory.getLogger(MysqlStartupWait.class);
    private static final long FIRST_PAUSE_MS = 100;
    private static final long MAX_PAUSE_MS = 5_000;
    private static final long LOG_EVERY_MS = 10_000;

    private MysqlStartupWait() {}

    /**
     * @param target what the data source points at, for messages ({@code root@127.0.0.1:3306})
     * @return the server's version, read on the first connection that worked
     */
    public static ServerVersion await(DataSource ds, Duration maxWait, String target) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + maxWait.toNanos();
        long pause = FIRST_PAUSE_MS;
        long lastLog = start;
        int attempts = 0;
        while (true) {
            attempts++;
            String problem;
            try (Connection c = ds.getConnection()) {
                ServerVersion v = ServerVersion.of(c);
                log.info("mysqld {} answered after {} attempt(s) in {} ms: {} ({})", target, attempts, millisSince(start), v, v.text());
                return v;
            } catch (SQLException e) {
                if ("28000".equals(e.getSQLState())) {
                    throw new ReplicationSetupException("mysqld " + target + " refused the login: " + rootMessage(e)
                            + " (check --mysql-user and MYSQL_PASSWORD / --mysql-password-file)");
                }
                problem = rootMessage(e);
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new ReplicationSetupException("mysqld " + target + " did not answer within " + maxWait.toSeconds() + " s ("
                        + attempts + " attempts; last error: " + problem + "): check that mysqld runs and listens there,"
                        + " or raise --mysql-wait");
            }
            if ((now - lastLog) / 1_000_000 >= LOG_EVERY_MS || attempts == 1) {
                log.info("waiting for mysqld {}: attempt {}, {} ms so far: {}", target, attempts, millisSince(start), problem);
                lastLog = now;
            }
            Thread.sleep(Math.min(pause, Math.max(1, (deadline - now) / 1_000_000)));
            pause = Math.min(pause * 2, MAX_PAUSE_MS);
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The innermost cause says what is wrong ("Connection refused"); the pool's wrapper only says it timed out. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) message = t.getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message.replace('\n', ' ');
    }
}

package io.statefulset.agent.health;

import java.util.OptionalLong;

/**
 * One reading of {@code SHOW SLAVE STATUS} / {@code SHOW REPLICA STATUS}.
 *
 * @param ioState    {@code Slave_IO_Running} / {@code Replica_IO_Running} as the server says it: {@code Yes},
 *                   {@code No}, {@code Connecting}, {@code Preparing}
 * @param sqlState   {@code Slave_SQL_Running} / {@code Replica_SQL_Running}
 * @param lagSeconds {@code Seconds_Behind_Master} / {@code Seconds_Behind_Source}; empty when NULL
 * @param ioError    the IO thread's last error
 * @param sqlError   the SQL thread's last error
 */
public record ReplicaState(String ioState, String sqlState, OptionalLong lagSeconds, ThreadError ioError, ThreadError sqlError) {
    public boolean ioRunning() {
        return "Yes".equalsIgnoreCase(ioState);
    }

    public boolean sqlRunning() {
        return "Yes".equalsIgnoreCase(sqlState);
    }

    public boolean running() {
        return ioRunning() && sqlRunning();
    }

    /**
     * The lag, only when it means something: both threads run and the server gives a number. A replica whose IO
     * thread is still connecting may report a stale 0; that is not "caught up".
     */
    public OptionalLong knownLag() {
        return running() ? lagSeconds : OptionalLong.empty();
    }
}

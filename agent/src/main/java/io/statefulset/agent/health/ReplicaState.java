package io.statefulset.agent.health;

import java.util.OptionalLong;

/**
 * One reading of {@code SHOW SLAVE STATUS} / {@code SHOW REPLICA STATUS}.
 *
 * @param ioRunning  IO thread running ({@code Slave_IO_Running} / {@code Replica_IO_Running} = Yes)
 * @param sqlRunning SQL thread running
 * @param lagSeconds {@code Seconds_Behind_Master} / {@code Seconds_Behind_Source}; empty when NULL (a stopped thread)
 * @param lastError  the last IO or SQL error text, empty when none
 */
public record ReplicaState(boolean ioRunning, boolean sqlRunning, OptionalLong lagSeconds, String lastError) {
    public boolean running() {
        return ioRunning && sqlRunning;
    }
}

package io.statefulset.agent.replication.setup;

import io.statefulset.agent.replication.dialect.SqlCommand;
import java.util.List;

/**
 * The statements that turn a freshly cloned server into a running replica, in order. Each is safe to run again
 * after a crash before the next (the GTID settings are absolute values, and {@code CHANGE MASTER} is only reached
 * when the server has no source yet).
 *
 * @param positioning what the replica starts from, for logs and the marker ({@code GTID 0-100-5},
 *                    {@code mysql-bin.000001:1240})
 */
public record ReplicationPlan(List<SqlCommand> steps, String positioning) {
    public ReplicationPlan {
        steps = List.copyOf(steps);
    }
}

package io.statefulset.agent.replication.setup;

import io.statefulset.agent.replication.dialect.SqlCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements that turn a freshly cloned server into a running replica, in order. Each is safe to run again
 * after a crash before the next (the GTID settings are absolute values, and {@code CHANGE MASTER} is only reached
 * when the server has no source yet).
 *
 * @param configure   everything before the start: GTID state, {@code CHANGE MASTER}
 * @param start       {@code START SLAVE} / {@code START REPLICA}, run only once the checks before start passed
 * @param positioning what the replica starts from, for logs and the marker ({@code GTID 0-100-5},
 *                    {@code mysql-bin.000001:1240})
 */
public record ReplicationPlan(List<SqlCommand> configure, SqlCommand start, String positioning) {
    public ReplicationPlan {
        configure = List.copyOf(configure);
    }

    /** Every statement in order, the start last. */
    public List<SqlCommand> steps() {
        List<SqlCommand> all = new ArrayList<>(configure);
        all.add(start);
        return List.copyOf(all);
    }
}

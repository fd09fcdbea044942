package io.statefulset.agent.clone;

import io.statefulset.agent.common.identity.HostPort;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A change to a prepared clone before it is marked prepared, so that it travels with the hand-over (a crash
 * afterwards finds it done, a crash before finds the clone unprepared and redoes both).
 */
@FunctionalInterface
public interface PreparedFix {
    PreparedFix NONE = (data, donor) -> { };

    void apply(Path preparedData, HostPort donor) throws IOException;
}

package io.statefulset.agent.replication.recovery;

import static io.statefulset.agent.replication.recovery.IoRestartRule.Decision.CHECK_THE_SOURCE;
import static io.statefulset.agent.replication.recovery.IoRestartRule.Decision.NOT_AUTO_POSITIONED;
import static io.statefulset.agent.replication.recovery.IoRestartRule.Decision.NOT_STOPPED_BY_THE_SOURCE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statefulset.agent.health.ReplicaState;
import io.statefulset.agent.health.ThreadError;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Which IO threads the agent may start again: the errors, the thread states, the channels. */
class IoRestartRuleTest {
    private static final String LOST_LOG = "Got fatal error 1236 from source when reading data from binary log: 'could not find next log'";

    private static ReplicaState io(String state, int errno) {
        return new ReplicaState(state, "Yes", OptionalLong.empty(), new ThreadError(errno, errno == 0 ? "" : LOST_LOG), ThreadError.NONE);
    }

    @Test
    void aMysqlChannelByAutoPositionStoppedWith13114Or1236IsCheckedForARestart() {
        assertEquals(CHECK_THE_SOURCE, IoRestartRule.decide(io("No", 13114), false, true), "MySQL 8.0");
        assertEquals(CHECK_THE_SOURCE, IoRestartRule.decide(io("No", 1236), false, true), "MySQL 5.7");
    }

    @Test
    void aFilePositionChannelOrMariaDbIsLeftAsItIs() {
        assertEquals(NOT_AUTO_POSITIONED, IoRestartRule.decide(io("No", 13114), false, false), "the position may name other transactions now");
        assertEquals(NOT_AUTO_POSITIONED, IoRestartRule.decide(io("No", 1236), true, false), "MariaDB");
        assertEquals(NOT_AUTO_POSITIONED, IoRestartRule.decide(io("No", 1236), true, true), "MariaDB, whatever the flag says");
    }

    @Test
    void otherErrorsAndThreadsThatRunOrConnectAreNotItsBusiness() {
        assertEquals(NOT_STOPPED_BY_THE_SOURCE, IoRestartRule.decide(io("Connecting", 13114), false, true), "MySQL retries that itself");
        assertEquals(NOT_STOPPED_BY_THE_SOURCE, IoRestartRule.decide(io("Preparing", 1236), false, true));
        assertEquals(NOT_STOPPED_BY_THE_SOURCE, IoRestartRule.decide(io("Yes", 0), false, true));
        assertEquals(NOT_STOPPED_BY_THE_SOURCE, IoRestartRule.decide(io("No", 0), false, true), "stopped by hand");
        assertEquals(NOT_STOPPED_BY_THE_SOURCE, IoRestartRule.decide(io("No", 1045), false, true), "access denied: the operator's");
        assertEquals(NOT_STOPPED_BY_THE_SOURCE, IoRestartRule.decide(io("No", 13117), false, true), "another fatal error");
        assertEquals(NOT_STOPPED_BY_THE_SOURCE, IoRestartRule.decide(io("", 13114), false, true), "no state read");
    }
}

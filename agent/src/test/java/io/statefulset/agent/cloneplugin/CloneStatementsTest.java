package io.statefulset.agent.cloneplugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.clone.CloneMethod;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.replication.dialect.SqlCommand;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CloneStatementsTest {
    private static final HostPort DONOR = new HostPort("mysql-0.mysql", 3306);

    private static ClonePluginSettings settings(Duration stall, int network, int data) {
        return new ClonePluginSettings(CloneMethod.CLONE_PLUGIN, List.of(DONOR), "repl", Optional.empty(), Duration.ofMinutes(10),
                stall, 3, Duration.ofSeconds(5), network, data, false, java.nio.file.Path.of("/etc/mysql/conf.d"));
    }

    @Test
    void theCloneStatementQuotesHostAndUserAndNeverShowsThePassword() {
        SqlCommand c = CloneStatements.clone(DONOR, "re'pl", Optional.of(Secret.of("pa'ss\\word", "test")), true);
        assertEquals("CLONE INSTANCE FROM 're''pl'@'mysql-0.mysql':3306 IDENTIFIED BY 'pa''ss\\\\word' REQUIRE SSL", c.sql());
        assertEquals("CLONE INSTANCE FROM 're''pl'@'mysql-0.mysql':3306 IDENTIFIED BY '****' REQUIRE SSL", c.display());
        assertFalse(c.display().contains("pa"), c.display());
        assertEquals("CLONE INSTANCE FROM 'repl'@'mysql-0.mysql':3306 IDENTIFIED BY ''", CloneStatements.clone(DONOR, "repl", Optional.empty(), false).sql());
        assertThrows(IllegalArgumentException.class, () -> CloneStatements.clone(DONOR, "repl", Optional.of(Secret.of("a\nb", "test")), false));
    }

    @Test
    void preparationAllowsOnlyThisDonorSetsTheCapsAndLiftsSuperReadOnlyWhenOn() {
        List<String> on = CloneStatements.prepare(DONOR, settings(Duration.ofSeconds(90), 40, 0), true).stream().map(SqlCommand::display).toList();
        assertEquals(List.of("SET GLOBAL super_read_only = OFF", "SET GLOBAL clone_valid_donor_list = ? ['mysql-0.mysql:3306']",
                "SET GLOBAL clone_max_network_bandwidth = 40", "SET GLOBAL clone_max_data_bandwidth = 0",
                "SET GLOBAL clone_donor_timeout_after_network_failure = 2"), on);
        assertTrue(CloneStatements.prepare(DONOR, settings(Duration.ZERO, 0, 0), false).stream()
                .noneMatch(c -> c.sql().contains("super_read_only")));
    }

    @Test
    void theStallTimeoutBecomesWholeMinutesWithinTheServersRange() {
        assertEquals(0, settings(Duration.ZERO, 0, 0).donorTimeoutMinutes());
        assertEquals(1, settings(Duration.ofSeconds(60), 0, 0).donorTimeoutMinutes());
        assertEquals(1, settings(Duration.ofSeconds(1), 0, 0).donorTimeoutMinutes());
        assertEquals(30, settings(Duration.ofHours(2), 0, 0).donorTimeoutMinutes());
    }

    @Test
    void aServerKilledMidCloneIsNotARunningClone() {
        assertTrue(new CloneStatus(12, "In Progress", "mysql-0.mysql:3306", 0, "", "").inProgress());
        CloneStatus killed = new CloneStatus(0, "In Progress", "mysql-0.mysql:3306", 1317, "Query execution was interrupted", "");
        assertFalse(killed.inProgress());
        assertFalse(killed.completed());
        assertTrue(killed.describe().contains("error 1317"), killed.describe());
        assertTrue(new CloneStatus(0, "Completed", "mysql-0.mysql:3306", 0, "", "u:1-5").completed());
    }

    @Test
    void aServerWithSchemasOrTransactionsOfItsOwnIsNotFresh() {
        assertTrue(new ServerContents(List.of(), "").fresh());
        ServerContents used = new ServerContents(List.of("app"), "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3");
        assertFalse(used.fresh());
        assertEquals("user schemas app; gtid_executed 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3", used.describe());
    }
}

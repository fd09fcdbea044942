package io.statefulset.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.identity.HostPort;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTest {
    @Test
    void flagWinsOverEnvAndEnvOverDefault() throws Exception {
        Flags f = Flags.parse("init", List.of("--service=db", "--stall-timeout", "90s"),
                Map.of("AGENT_SERVICE", "envsvc", "AGENT_DATA_DIR", "/data"), FlagCatalog.ALL);
        assertEquals("db", f.value("service", "mysql"));
        assertEquals("/data", f.value("data-dir", "/var/lib/mysql"));
        assertEquals(Duration.ofSeconds(90), f.duration("stall-timeout", Duration.ZERO));
        assertEquals("/mnt/conf.d", f.value("conf-dir", "/mnt/conf.d"));
    }

    @Test
    void repeatableDonorFromArgsAndCommaSeparatedEnv() throws Exception {
        Flags args = Flags.parse("init", List.of("--donor", "a:1", "--donor", "b"), Map.of(), FlagCatalog.ALL);
        assertEquals(List.of(new HostPort("a", 1), new HostPort("b", 3307)), args.hostPorts("donor", 3307));
        Flags env = Flags.parse("init", List.of(), Map.of("AGENT_DONOR", "x:5, y:6"), FlagCatalog.ALL);
        assertEquals(List.of(new HostPort("x", 5), new HostPort("y", 6)), env.hostPorts("donor", 3307));
    }

    @Test
    void unknownFlagMissingValueAndWrongModeAreUsageErrors() {
        UsageException unknown = assertThrows(UsageException.class,
                () -> Flags.parse("init", List.of("--nope", "1"), Map.of(), FlagCatalog.ALL));
        assertTrue(unknown.getMessage().contains("--nope"), unknown.getMessage());
        assertThrows(UsageException.class, () -> Flags.parse("init", List.of("--service"), Map.of(), FlagCatalog.ALL));
        // --listen belongs to serve only
        assertThrows(UsageException.class, () -> Flags.parse("init", List.of("--listen", ":1"), Map.of(), FlagCatalog.ALL));
        assertThrows(UsageException.class, () -> Flags.parse("init", List.of("--service", "a", "--service", "b"), Map.of(), FlagCatalog.ALL));
    }

    @Test
    void durationsAndNumbersAreValidated() throws Exception {
        Flags f = Flags.parse("serve", List.of("--max-lag", "500ms", "--mysql-port", "x"), Map.of(), FlagCatalog.ALL);
        assertEquals(Duration.ofMillis(500), f.duration("max-lag", Duration.ZERO));
        UsageException e = assertThrows(UsageException.class, () -> f.integer("mysql-port", 3306));
        assertTrue(e.getMessage().contains("mysql-port"));
        Flags bad = Flags.parse("serve", List.of("--max-lag", "soon"), Map.of(), FlagCatalog.ALL);
        assertThrows(UsageException.class, () -> bad.duration("max-lag", Duration.ZERO));
    }

    @Test
    void passwordsAreNotFlags() {
        assertThrows(UsageException.class,
                () -> Flags.parse("serve", List.of("--mysql-password", "secret"), Map.of(), FlagCatalog.ALL));
    }
}

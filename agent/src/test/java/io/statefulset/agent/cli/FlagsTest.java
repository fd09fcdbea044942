package io.statefulset.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.common.identity.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTest {
    private static InitFlags init(List<String> args, Map<String, String> env) throws UsageException {
        return FlagCatalog.parse("init", args, env).getCommand();
    }

    private static ServeFlags serve(List<String> args, Map<String, String> env) throws UsageException {
        return FlagCatalog.parse("serve", args, env).getCommand();
    }

    @Test
    void flagWinsOverEnvAndEnvOverDefault() throws Exception {
        InitFlags f = init(List.of("--service=db", "--stall-timeout", "90s"),
                Map.of("AGENT_SERVICE", "envsvc", "AGENT_DATA_DIR", "/data"));
        assertEquals("db", f.shared.service);
        assertEquals(Path.of("/data"), f.shared.dataDir);
        assertEquals(Duration.ofSeconds(90), f.rounds.stallTimeout);
        assertEquals(Path.of("/mnt/conf.d"), f.confDir);
        assertNull(f.shared.hostname, "no default: worked out from $HOSTNAME at run time");
    }

    @Test
    void repeatableDonorFromArgsAndCommaSeparatedEnv() throws Exception {
        InitFlags args = init(List.of("--donor", "a:1", "--donor", "b"), Map.of());
        assertEquals(List.of(new HostPort("a", 1), new HostPort("b", 3307)), args.donors);
        InitFlags env = init(List.of(), Map.of("AGENT_DONOR", "x:5, y:6"));
        assertEquals(List.of(new HostPort("x", 5), new HostPort("y", 6)), env.donors);
    }

    @Test
    void unknownFlagMissingValueAndWrongModeAreUsageErrors() {
        UsageException unknown = assertThrows(UsageException.class, () -> init(List.of("--nope", "1"), Map.of()));
        assertTrue(unknown.getMessage().contains("--nope"), unknown.getMessage());
        assertThrows(UsageException.class, () -> init(List.of("--service"), Map.of()));
        // --listen belongs to serve only
        assertThrows(UsageException.class, () -> init(List.of("--listen", ":1"), Map.of()));
        UsageException twice = assertThrows(UsageException.class, () -> init(List.of("--service", "a", "--service", "b"), Map.of()));
        assertTrue(twice.getMessage().contains("--service"), twice.getMessage());
        assertThrows(UsageException.class, () -> init(List.of("stray"), Map.of()));
    }

    @Test
    void durationsAndNumbersAreValidated() throws Exception {
        assertEquals(Duration.ofMillis(500), serve(List.of("--max-lag", "500ms"), Map.of()).maxLag);
        UsageException port = assertThrows(UsageException.class, () -> serve(List.of("--mysql-port", "x"), Map.of()));
        assertTrue(port.getMessage().contains("mysql-port"), port.getMessage());
        UsageException lag = assertThrows(UsageException.class, () -> serve(List.of("--max-lag", "soon"), Map.of()));
        assertTrue(lag.getMessage().contains("max-lag"), lag.getMessage());
        UsageException envLag = assertThrows(UsageException.class, () -> serve(List.of(), Map.of("AGENT_MAX_LAG", "soon")));
        assertTrue(envLag.getMessage().contains("max-lag"), envLag.getMessage());
    }

    @Test
    void passwordsAreNotFlags() {
        assertThrows(UsageException.class, () -> serve(List.of("--mysql-password", "secret"), Map.of()));
    }

    @Test
    void everyFlagHasOneDefaultThatHelpShowsAndTheCodeGets() throws Exception {
        ServeFlags defaults = serve(List.of(), Map.of());
        assertEquals(new HostPort("0.0.0.0", 3307), defaults.listen);
        assertEquals("0.0.0.0:3307", FlagCatalog.ALL.stream().filter(s -> s.name().equals("listen")).findFirst().orElseThrow().defaultText());
        assertEquals(Duration.ofSeconds(60), defaults.maxLag);
        assertEquals(Duration.ofMinutes(10), init(List.of(), Map.of()).rounds.donorWait);
        for (FlagSpec s : FlagCatalog.ALL) {
            assertTrue(!s.defaultText().isBlank() && !s.help().isBlank(), s.toString());
            assertTrue(s.envName().matches("AGENT_[A-Z0-9_]+"), s.envName());
        }
    }

    @Test
    void bashCompletionOffersEachModesFlags() {
        String script = FlagCatalog.bashCompletion();
        assertTrue(script.contains("--stall-timeout") && script.contains("--legacy-wait") && script.contains("serve"), script);
    }

    @Test
    void cloneFlagsHaveEnvMirrorsAndRefuseBadValues() throws Exception {
        ServeFlags f = serve(List.of("--clone-method", "clone-plugin", "--clone-require-ssl", "true"),
                Map.of("AGENT_CLONE_DONOR", "mysql-1.mysql, mysql-0.mysql:3316", "AGENT_CLONE_MAX_NETWORK_BANDWIDTH", "40"));
        assertEquals(io.statefulset.agent.clone.CloneMethod.CLONE_PLUGIN, f.rounds.cloneMethod);
        assertEquals(List.of(new HostPort("mysql-1.mysql", 3306), new HostPort("mysql-0.mysql", 3316)), f.cloneDonors);
        assertEquals(40, f.cloneMaxNetworkBandwidth);
        assertTrue(f.cloneRequireSsl);
        assertEquals(io.statefulset.agent.clone.CloneMethod.AUTO, init(List.of(), Map.of()).rounds.cloneMethod);
        UsageException method = assertThrows(UsageException.class, () -> serve(List.of(), Map.of("AGENT_CLONE_METHOD", "rsync")));
        assertTrue(method.getMessage().contains("auto, xbstream or clone-plugin"), method.getMessage());
    }
}

package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WidePipeTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    private static String run(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out + " pid=" + p.pid();
    }

    @Test
    void theToolWritesIntoAOneMebibytePipe() throws Exception {
        // F_GETPIPE_SZ (1032) asked by the wrapped program about its own stdout: the pipe the JVM reads.
        List<String> probe = List.of("/usr/bin/perl", "-e", "print fcntl(STDOUT, 1032, 0)");
        assertEquals("65536", run(probe).split(" ")[0], "Linux's default, without the wrapper");
        assertEquals("1048576", run(WidePipe.wrap(probe, ENV)).split(" ")[0]);
    }

    @Test
    void theWrapperExecsSoTheToolKeepsThePidTheServerKills() throws Exception {
        String out = run(WidePipe.wrap(List.of("/bin/sh", "-c", "echo $$"), ENV));
        String[] parts = out.split(" pid=");
        assertEquals(parts[1], parts[0], "the tool's own pid is the process the server started");
    }

    @Test
    void withoutPerlTheToolStartsDirectly() {
        List<String> argv = List.of("/usr/bin/mariadb-backup", "--backup");
        assertEquals(argv, WidePipe.wrap(argv, Map.of("PATH", "/nonexistent")));
    }

    @Test
    void argumentsThatLookLikeOptionsReachTheToolUnchanged() throws Exception {
        String out = run(WidePipe.wrap(List.of("/bin/echo", "--defaults-extra-file=/x", "-e", "a b"), ENV));
        assertEquals("--defaults-extra-file=/x -e a b", out.split(" pid=")[0]);
    }
}
